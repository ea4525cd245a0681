import { join } from 'node:path';
import { localImageTarget } from '../../shared/local/image-opener';
import { rematchReport } from '../../shared/pipeline/rematch';
import { EvaluatedPlatform } from '../../shared/pipeline/states';
import { scanImage } from '../../shared/scan';
import {
  DEMO_IMAGE,
  UNRELATED_OSV,
  TODAY,
  runScanSteps,
  stepWorld,
  storedJson,
  type StepWorld,
} from '../support/scan-steps';
import { useTempDir } from '../support/temp';

describe('rematchReport', () => {
  const dir = useTempDir();
  let world: StepWorld;
  let older: StepWorld;

  beforeEach(async () => {
    world = await stepWorld(dir());
    older = await stepWorld(join(dir(), 'older'), [UNRELATED_OSV]);
  });
  afterEach(() => {
    world.vulnerabilities.close();
    older.vulnerabilities.close();
  });

  /** A scan of the demo image made when the data had no advisory for its packages. */
  async function scannedWithoutData() {
    const image = await localImageTarget(`oci:${DEMO_IMAGE}:latest`);
    const { platforms } = await runScanSteps(image, {
      ...world,
      vulnerabilities: older.vulnerabilities,
    });
    return { image, platform: platforms[0]! };
  }

  describe('when the data has changed since the scan', () => {
    it('gives what a scan with the current data gives, without reading the image', async () => {
      const { image, platform } = await scannedWithoutData();
      // RematchDeps has no ImageOpener: the image cannot be read.
      const { store, vulnerabilities, policy, clock } = world;
      const rematched = await rematchReport(platform.keys.report, {
        store,
        vulnerabilities,
        policy,
        clock,
      });

      const [fresh] = await scanImage(await world.opener.open(image), {
        today: TODAY,
        secrets: true,
        checks: true,
        policy: world.policy,
        vulnerabilities: { store: world.vulnerabilities },
      });
      expect(rematched!.report).toEqual(fresh);
      expect(EvaluatedPlatform.parse(rematched!.evaluated)).toEqual(rematched!.evaluated);
      expect(platform.counts).toEqual({ critical: 0, high: 0, medium: 0, low: 0, unknown: 0 });
      expect(rematched!.evaluated).toMatchObject({
        platform: platform.platform,
        manifestDigest: platform.manifestDigest,
        keys: platform.keys,
        packages: platform.packages,
        dataVersion: (await world.vulnerabilities.dataVersion()).contentHash,
        decision: fresh!.verdict!.decision,
      });
      expect(rematched!.evaluated.topFindings.length).toBeGreaterThan(0);
    });

    it("leaves the scan's own report as it was", async () => {
      const { platform } = await scannedWithoutData();
      const before = await world.store.get(platform.keys.report);

      await rematchReport(platform.keys.report, world);
      expect(await world.store.get(platform.keys.report)).toEqual(before);
    });

    it('writes the new report where it is told to', async () => {
      const { platform } = await scannedWithoutData();
      const writeTo = 'fleet/run-1/reports/demo.json';

      const rematched = await rematchReport(platform.keys.report, world, { writeTo });
      expect(rematched!.evaluated.keys).toEqual({ ...platform.keys, report: writeTo });
      expect(await storedJson(world.store, writeTo)).toEqual(
        JSON.parse(JSON.stringify(rematched!.report)),
      );
    });
  });

  describe('when there is no report at the key', () => {
    it('gives undefined: the image needs a full scan', async () => {
      await expect(rematchReport('scans/none/none/report.json', world)).resolves.toBeUndefined();
    });
  });
});
