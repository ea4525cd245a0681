import * as CDX from '@cyclonedx/cyclonedx-library';
import { join } from 'node:path';
import { assemblePlatform } from '../../shared/pipeline/assemble';
import { PipelineError } from '../../shared/pipeline/errors';
import { localImageTarget } from '../../shared/local/image-opener';
import { AssembledPlatform, type AssembleInput } from '../../shared/pipeline/states';
import { cycloneDxJson, sbomStamp, spdxJson } from '../../shared/sbom';
import { scanImage } from '../../shared/scan';
import { buildImage, writeOciLayout } from '../support/image-builder';
import {
  DEMO_IMAGE,
  TODAY,
  assembleInputs,
  stepWorld,
  storedJson,
  type StepWorld,
} from '../support/scan-steps';
import { spdxSchemaErrors } from '../support/schemas';
import { useTempDir } from '../support/temp';

describe('assemblePlatform', () => {
  const dir = useTempDir();
  let world: StepWorld;

  beforeEach(async () => {
    world = await stepWorld(dir());
  });
  afterEach(() => world.vulnerabilities.close());

  /** Resolve and AnalyzeLayer for every layer of the first platform: Assemble's input. */
  async function assembleInput(reference: string): Promise<AssembleInput> {
    return (await assembleInputs(await localImageTarget(reference), world)).inputs[0]!;
  }

  describe('when every layer has its report', () => {
    it('writes the report scanPlatform reads from the image, before matching and judging', async () => {
      const input = await assembleInput(`oci:${DEMO_IMAGE}:latest`);
      const assembled = await assemblePlatform(input, world);

      const source = await world.opener.open(input.image);
      const [expected] = await scanImage(source, {
        platform: { os: 'linux', architecture: 'amd64' },
        today: TODAY,
        secrets: true,
        checks: true,
      });
      const report = await storedJson(world.store, assembled.keys.report);
      expect(report).toEqual(JSON.parse(JSON.stringify(expected)));
      expect(report).not.toHaveProperty('vulnerabilities');
      expect(report).not.toHaveProperty('verdict');
      expect(AssembledPlatform.parse(assembled)).toEqual({
        platform: 'linux/amd64',
        manifestDigest: input.platform.manifestDigest,
        keys: {
          report: `scans/${input.scanId}/${input.platform.manifestDigest.slice(7)}/report.json`,
          cyclonedx: `scans/${input.scanId}/${input.platform.manifestDigest.slice(7)}/sbom.cdx.json`,
          spdx: `scans/${input.scanId}/${input.platform.manifestDigest.slice(7)}/sbom.spdx.json`,
        },
        packages: report.packages.length,
      });
    });

    it('writes the SBOMs the CLI writes for the same report and time, valid to their schemas', async () => {
      const input = await assembleInput(`oci:${DEMO_IMAGE}:latest`);
      const assembled = await assemblePlatform(input, world);
      const report = await storedJson(world.store, assembled.keys.report);
      const stamp = sbomStamp(report, TODAY, true);

      const cyclonedx = (await world.store.get(assembled.keys.cyclonedx))!.toString('utf8');
      const spdx = (await world.store.get(assembled.keys.spdx))!.toString('utf8');
      expect(cyclonedx).toBe(cycloneDxJson(report, stamp));
      expect(spdx).toBe(spdxJson(report, stamp));
      expect(
        await new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6).validate(cyclonedx),
      ).toBeNull();
      expect(spdxSchemaErrors(JSON.parse(spdx))).toEqual([]);
    });

    it('writes the same bytes when it runs again (a retried state)', async () => {
      const input = await assembleInput(`oci:${DEMO_IMAGE}:latest`);
      const first = await assemblePlatform(input, world);
      const bytes = await Promise.all(Object.values(first.keys).map((k) => world.store.get(k)));

      const second = await assemblePlatform(input, world);
      expect(second).toEqual(first);
      expect(await Promise.all(Object.values(second.keys).map((k) => world.store.get(k)))).toEqual(
        bytes,
      );
    });
  });

  describe('when a later layer deletes a file', () => {
    it('applies the whiteout, as a scan of the whole image does', async () => {
      const status = 'Package: curl\nStatus: install ok installed\nVersion: 7.88.1-10\n';
      await writeOciLayout(join(dir(), 'image'), {
        t: await buildImage({
          layers: [
            {
              files: {
                'etc/os-release': 'ID=debian\nVERSION_ID="12"\n',
                'var/lib/dpkg/status': status,
              },
            },
            { files: { 'app/package.json': '{"name":"app","version":"1.0.0"}' } },
            { files: { 'app/.wh.package.json': '' } },
          ],
        }),
      });
      const assembled = await assemblePlatform(
        await assembleInput(`oci:${join(dir(), 'image')}:t`),
        world,
      );
      const report = await storedJson(world.store, assembled.keys.report);
      expect(report.packages.map((p) => p.name)).toEqual(['curl']);
      expect(assembled.packages).toBe(1);
    });
  });

  it('fails when a layer report is missing', async () => {
    const input = await assembleInput(`oci:${DEMO_IMAGE}:latest`);
    const layers = input.layers.map((l, i) =>
      i === 0 ? { ...l, reportKey: 'layer-reports/none/sha256/none.json.gz' } : l,
    );
    const failure = assemblePlatform({ ...input, layers }, world);

    await expect(failure).rejects.toThrow(PipelineError);
    await expect(failure).rejects.toMatchObject({ code: 'MISSING_OBJECT', kind: 'bug' });
  });

  it('fails when a layer of the image has no report', async () => {
    const input = await assembleInput(`oci:${DEMO_IMAGE}:latest`);

    await expect(
      assemblePlatform({ ...input, layers: input.layers.slice(1) }, world),
    ).rejects.toMatchObject({ code: 'INVALID_LAYER_REPORT' });
  });

  it('fails when the stored image is not the platform', async () => {
    const input = await assembleInput(`oci:${DEMO_IMAGE}:latest`);
    const platform = { ...input.platform, manifestDigest: `sha256:${'1'.repeat(64)}` };

    await expect(assemblePlatform({ ...input, platform }, world)).rejects.toMatchObject({
      code: 'MISSING_OBJECT',
    });
  });
});
