import * as CDX from '@cyclonedx/cyclonedx-library';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../support/analyzer-fixtures';
import { clearance } from '../support/cli';
import { buildImage, buildIndex, writeOciLayout } from '../support/image-builder';
import { spdxSchemaErrors } from '../support/schemas';
import { useTempDir } from '../support/temp';

const OS_RELEASE = 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n';
const STATUS = [
  'Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: 3.0.15-1~deb12u1\nDepends: libc6 (>= 2.34)\n',
  'Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nSource: glibc\nVersion: 2.36-9+deb12u8\n',
].join('\n');
const EPOCH = { SOURCE_DATE_EPOCH: '1767225600' };
/** Go modules, one of them (a directory replacement) without a version. */
const GO_BINARY = readFileSync(join(FIXTURES, 'go/modules/usr/local/bin/app'));
const GO_MODULES = [
  'example.com/app',
  'example.com/lib',
  'example.com/local',
  'example.com/new',
  'stdlib',
];

describe('clearance sbom', () => {
  const dir = useTempDir();

  async function image(): Promise<string> {
    await writeOciLayout(dir(), {
      v1: await buildImage({
        layers: [
          { files: { 'etc/os-release': OS_RELEASE, 'var/lib/dpkg/status': STATUS } },
          {
            files: {
              'app/node_modules/@scope/a/package.json': JSON.stringify({
                name: '@scope/a',
                version: '1.0.0',
                dependencies: { '@scope/b': '^2.0.0' },
              }),
              'app/node_modules/@scope/b/package.json': '{"name": "@scope/b", "version": "2.0.0"}',
              'usr/local/bin/app': { type: 'file', content: GO_BINARY, mode: 0o755 },
            },
          },
        ],
      }),
    });
    return `oci:${dir()}:v1`;
  }

  describe('--format cyclonedx', () => {
    it('writes a CycloneDX 1.6 document the library validator accepts', async () => {
      const result = await clearance(['sbom', '--format', 'cyclonedx', await image()], EPOCH);
      expect(result.code).toBe(0);
      expect(
        await new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6).validate(
          result.stdout,
        ),
      ).toBeNull();
      const bom = result.json<{
        metadata: { component: { type: string } };
        components: {
          type: string;
          name: string;
          purl?: string;
          properties?: { name: string }[];
        }[];
        dependencies: { ref: string; dependsOn?: string[] }[];
      }>();
      expect(bom.metadata.component.type).toBe('container');
      expect(bom.components.map((c) => [c.type, c.name])).toEqual([
        ['operating-system', 'debian'],
        ['library', 'libc6'],
        ['library', 'libssl3'],
        ...GO_MODULES.map((name) => ['library', name]),
        ['library', '@scope/a'],
        ['library', '@scope/b'],
      ]);
      expect(bom.components[2]!.properties!.map((p) => p.name)).toEqual([
        'clearance:layer',
        'clearance:origin',
        'clearance:path',
        'clearance:source',
      ]);
      const libssl = bom.dependencies.find((d) => d.ref.startsWith('pkg:deb/debian/libssl3'))!;
      expect(libssl.dependsOn).toEqual([expect.stringMatching(/^pkg:deb\/debian\/libc6@/)]);
      const scoped = bom.dependencies.find((d) => d.ref.startsWith('pkg:npm/%40scope/a@'))!;
      expect(scoped.dependsOn).toEqual([expect.stringMatching(/^pkg:npm\/%40scope\/b@2\.0\.0#/)]);
    });

    it('leaves out the version of a package whose version is unknown', async () => {
      const result = await clearance(['sbom', '--format', 'cyclonedx', await image()], EPOCH);
      const bom = result.json<{
        components: { name: string; version?: string; purl?: string }[];
      }>();
      expect(bom.components.find((c) => c.name === 'example.com/local')).toEqual(
        expect.not.objectContaining({ version: expect.anything() }),
      );
    });
  });

  describe('--format spdx', () => {
    it('writes an SPDX 2.3 document valid against the official schema', async () => {
      const result = await clearance(['sbom', '--format', 'spdx', await image()], EPOCH);
      expect(result.code).toBe(0);
      const document = result.json<{
        packages: {
          name: string;
          externalRefs?: { referenceType: string; referenceLocator: string }[];
        }[];
        relationships: { relationshipType: string }[];
      }>();
      expect(spdxSchemaErrors(document)).toEqual([]);
      expect(document.packages.map((p) => p.name)).toEqual([
        `oci:${dir()}:v1`,
        'debian',
        'libc6',
        'libssl3',
        ...GO_MODULES,
        '@scope/a',
        '@scope/b',
      ]);
      expect(document.packages[3]!.externalRefs).toEqual([
        {
          referenceCategory: 'PACKAGE-MANAGER',
          referenceType: 'purl',
          referenceLocator: 'pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=amd64&distro=debian-12',
        },
      ]);
      expect(document.relationships.filter((r) => r.relationshipType === 'CONTAINS')).toHaveLength(
        10,
      );
    });
  });

  describe('when packages are only declared by an application lockfile, or a jar has no group', () => {
    const LOCK = JSON.stringify({
      name: 'web',
      version: '1.0.0',
      lockfileVersion: 3,
      packages: { '': { name: 'web', version: '1.0.0' }, 'node_modules/ms': { version: '2.1.3' } },
    });
    const JAR = readFileSync(join(FIXTURES, 'java/filename/opt/lib/foo-2.3.4.jar'));

    async function declared(): Promise<string> {
      await writeOciLayout(dir(), {
        v1: await buildImage({
          layers: [
            {
              files: {
                'etc/os-release': OS_RELEASE,
                'srv/web/package-lock.json': LOCK,
                'srv/web/node_modules/.keep': '',
                'srv/api/package-lock.json': LOCK,
                'opt/lib/foo-2.3.4.jar': JAR,
              },
            },
          ],
        }),
      });
      return `oci:${dir()}:v1`;
    }

    it('fails, exit 2, on the identity gap until it is accepted', async () => {
      const result = await clearance(['sbom', '--format', 'cyclonedx', await declared()], EPOCH);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('identity-unknown:opt/lib/foo-2.3.4.jar');
    });

    it('marks them in CycloneDX: clearance:origin lockfile, a generic purl for the jar', async () => {
      const result = await clearance(
        ['sbom', '--format', 'cyclonedx', '--allow-gap', 'identity-unknown', await declared()],
        EPOCH,
      );
      expect(result.code).toBe(0);
      expect(
        await new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6).validate(
          result.stdout,
        ),
      ).toBeNull();
      const bom = result.json<{
        components: {
          name: string;
          purl?: string;
          properties?: { name: string; value: string }[];
        }[];
      }>();
      const origin = (c: (typeof bom.components)[number]) =>
        c.properties?.find((p) => p.name === 'clearance:origin')?.value;
      expect(bom.components.map((c) => [c.name, c.purl, origin(c)])).toEqual(
        [
          ['foo', 'pkg:generic/foo@2.3.4', 'installed'],
          ['ms', 'pkg:npm/ms@2.1.3', 'lockfile'],
          ['web', 'pkg:npm/web@1.0.0', 'lockfile'],
          ['debian', undefined, undefined],
        ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
      );
    });

    it('marks them in SPDX with an annotation, valid against the official schema', async () => {
      const result = await clearance(
        ['sbom', '--format', 'spdx', '--allow-gap', 'identity-unknown', await declared()],
        EPOCH,
      );
      expect(result.code).toBe(0);
      const document = result.json<{
        packages: { name: string; comment?: string; annotations?: { comment: string }[] }[];
      }>();
      expect(spdxSchemaErrors(document)).toEqual([]);
      const ms = document.packages.find((p) => p.name === 'ms')!;
      expect(ms.comment).toContain('path srv/api/package-lock.json, origin lockfile');
      expect(ms.annotations!.map((a) => a.comment)).toEqual([
        'clearance:origin lockfile: declared by an application lockfile; no installed copy was found',
      ]);
      expect(document.packages.find((p) => p.name === 'foo')!.annotations).toBeUndefined();
    });
  });

  describe.each(['cyclonedx', 'spdx'])('determinism (%s)', (format) => {
    it('gives byte-identical output for the same image under SOURCE_DATE_EPOCH', async () => {
      const reference = await image();
      const first = await clearance(['sbom', '--format', format, reference], EPOCH);
      const second = await clearance(['sbom', '--format', format, reference], EPOCH);
      expect(second.stdout).toBe(first.stdout);
      expect(first.stdout).toContain('2026-01-01T00:00:00');
    });

    it('differs only in timestamp and serial without it', async () => {
      const reference = await image();
      const strip = (s: string) =>
        s.replace(/urn:uuid:[0-9a-f-]+|clearance-[0-9a-f-]{36}|"20\d\d-[^"]+"/g, 'X');
      const first = await clearance(['sbom', '--format', format, reference]);
      const second = await clearance(['sbom', '--format', format, reference]);
      expect(first.stdout).not.toBe(second.stdout);
      expect(strip(second.stdout)).toBe(strip(first.stdout));
    });
  });

  describe('failures', () => {
    it('exits 2 for a multi-platform image without --platform, naming the platforms', async () => {
      const amd64 = await buildImage({ layers: [] });
      const arm64 = await buildImage({
        layers: [],
        platform: { os: 'linux', architecture: 'arm64' },
      });
      await writeOciLayout(dir(), { multi: await buildIndex([amd64, arm64]) });
      const result = await clearance(['sbom', `oci:${dir()}:multi`]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `clearance: oci:${dir()}:multi has 2 platforms (linux/amd64, linux/arm64) and an SBOM describes one: choose it with --platform, e.g. --platform linux/amd64\n`,
      );
    });

    it('exits 2 for an unknown format', async () => {
      const result = await clearance(['sbom', '--format', 'swid', 'oci:/x']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/Allowed choices are cyclonedx, spdx/);
    });
  });
});
