import * as CDX from '@cyclonedx/cyclonedx-library';
import { VERSION } from '../../shared/core';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clearance } from '../support/cli';
import { buildImage, writeOciLayout, type LayerSpec } from '../support/image-builder';
import { spdxSchemaErrors } from '../support/schemas';
import { useTempDir } from '../support/temp';

const EPOCH = { SOURCE_DATE_EPOCH: '1795392000' }; // 2026-11-23
const DEBIAN = 'ID=debian\nVERSION_ID="12"\n';
const STATUS =
  'Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.36-9+deb12u8\n';

interface CycloneDx {
  metadata: { component: { properties?: { name: string; value: string }[] } };
  components: { name: string }[];
}

describe('clearance sbom', () => {
  const dir = useTempDir();

  describe('--help', () => {
    it('says --platform is required for a multi-platform image, as sbom behaves', async () => {
      const result = await clearance(['sbom', '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout.replace(/\s+/g, ' ')).toContain(
        '--platform <os/arch[/variant]> the platform to describe: required for a multi-platform image (an index)',
      );
      expect(result.stdout).not.toContain('(default: all)');
    });
  });

  /** A two-layer image; `corrupt` flips a byte of the second layer's blob after it is written. */
  async function layout(second: LayerSpec, corrupt = false): Promise<string> {
    const image = await buildImage({
      layers: [{ files: { 'etc/os-release': DEBIAN, 'var/lib/dpkg/status': STATUS } }, second],
    });
    const oci = join(dir(), 'layout');
    await writeOciLayout(oci, { t: image });
    if (corrupt) {
      const path = join(oci, 'blobs', 'sha256', image.layers[1]!.descriptor.digest.slice(7));
      const bytes = readFileSync(path);
      bytes.writeUInt8(bytes.readUInt8(20) ^ 0xff, 20);
      writeFileSync(path, bytes);
    }
    return `oci:${oci}:t`;
  }
  const npm = (version: string) => ({
    files: { 'app/node_modules/semver/package.json': JSON.stringify({ name: 'semver', version }) },
  });

  describe('when every layer is read and every package database parsed', () => {
    it('writes the SBOM with no gap recorded', async () => {
      const result = await clearance(['sbom', await layout(npm('7.5.1'))], EPOCH);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      const bom = result.json<CycloneDx>();
      expect(bom.components.map((c) => c.name).sort()).toEqual(['debian', 'libc6', 'semver']);
      expect(bom.metadata.component.properties!.map((p) => p.name)).not.toContain(
        'clearance:coverage:gap',
      );
    });
  });

  describe('when a layer does not verify', () => {
    it('fails when it would write an SBOM without that layer, exit 2, one line', async () => {
      const result = await clearance(['sbom', await layout(npm('7.5.1'), true)], EPOCH);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(
        /^clearance: oci:.*: not writing an SBOM that would lack what was not read: .*\[layer-unverified:sha256:[0-9a-f]{64}\]; accept a gap on purpose with --allow-gap/,
      );
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    });

    it('writes it with --allow-incomplete, the gap recorded in a valid CycloneDX document', async () => {
      const result = await clearance(
        ['sbom', '--allow-incomplete', await layout(npm('7.5.1'), true)],
        EPOCH,
      );
      expect(result.code).toBe(0);
      const bom = result.json<CycloneDx>();
      expect(bom.components.map((c) => c.name).sort()).toEqual(['debian', 'libc6']);
      expect(bom.metadata.component.properties).toContainEqual({
        name: 'clearance:coverage:gap',
        value: expect.stringMatching(
          /^layer-unverified sha256:[0-9a-f]{64}: digest mismatch .*; accepted by --allow-incomplete$/,
        ),
      });
      await expect(
        new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6).validate(result.stdout),
      ).resolves.toBeNull();
    });

    it('writes SPDX with the gap as an annotation of the image, valid against the schema', async () => {
      const result = await clearance(
        ['sbom', '--format', 'spdx', '--allow-incomplete', await layout(npm('7.5.1'), true)],
        EPOCH,
      );
      expect(result.code).toBe(0);
      const spdx = result.json<{ packages: { SPDXID: string; annotations?: unknown[] }[] }>();
      expect(spdxSchemaErrors(spdx)).toEqual([]);
      expect(spdx.packages.find((p) => p.SPDXID === 'SPDXRef-Image')!.annotations).toEqual([
        {
          annotationDate: '2026-11-23T00:00:00Z',
          annotationType: 'OTHER',
          annotator: `Tool: clearance-${VERSION}`,
          comment: expect.stringMatching(/^clearance:coverage:gap layer-unverified /),
        },
      ]);
    });
  });

  describe('when a package database cannot be parsed', () => {
    const broken = { files: { 'app/node_modules/semver/package.json': '{ not json' } };

    it('refuses, naming the file', async () => {
      const result = await clearance(['sbom', await layout(broken)], EPOCH);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /npm: invalid JSON.*\[file-unparsed:app\/node_modules\/semver\/package\.json\]/,
      );
    });

    it('writes it when that kind of gap is accepted by name', async () => {
      const result = await clearance(
        ['sbom', '--allow-gap', 'file-unparsed:app/node_modules/*', await layout(broken)],
        EPOCH,
      );
      expect(result.code).toBe(0);
      expect(result.json<CycloneDx>().metadata.component.properties).toContainEqual({
        name: 'clearance:coverage:gap',
        value: expect.stringMatching(
          /^file-unparsed app\/node_modules\/semver\/package.json: .*; accepted by --allow-gap file-unparsed:app\/node_modules\/\*$/,
        ),
      });
    });
  });

  it('needs no vulnerability data: an SBOM is about what is installed', async () => {
    const result = await clearance(['sbom', await layout(npm('1.0.0'))], {
      ...EPOCH,
      XDG_CACHE_HOME: dir(),
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });
});
