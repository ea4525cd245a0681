import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LayerLimits } from '../../shared/layers';
import { scanImage } from '../../shared/scan';
import { openImageSource } from '../../shared/sources';
import { FIXTURES } from '../support/analyzer-fixtures';
import { buildImage, writeOciLayout, type LayerSpec } from '../support/image-builder';
import { useTempDir } from '../support/temp';

const TODAY = new Date('2026-11-23T00:00:00Z');
const OS_RELEASE =
  'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n';

function status(...packages: [string, string][]): string {
  return packages
    .map(
      ([name, version]) =>
        `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n`,
    )
    .join('\n');
}

describe('scanImage', () => {
  const dir = useTempDir();

  async function scan(layers: LayerSpec[], limits?: Partial<LayerLimits>) {
    const image = await buildImage({ layers });
    await writeOciLayout(dir(), { t: image });
    const [report] = await scanImage(openImageSource(`oci:${dir()}:t`), {
      today: TODAY,
      ...(limits && { limits }),
    });
    return { report: report!, layers: image.layers.map((l) => l.descriptor.digest) };
  }

  describe('when later layers rewrite the package database', () => {
    it('credits each package to the layer that introduced its final version', async () => {
      const { report, layers } = await scan([
        {
          files: {
            'etc/os-release': OS_RELEASE,
            'var/lib/dpkg/status': status(['libc6', '2.36-9'], ['curl', '7.88.1-10']),
          },
        },
        {
          files: {
            'var/lib/dpkg/status': status(
              ['libc6', '2.36-9'],
              ['curl', '7.88.1-10'],
              ['git', '1:2.39.5-0'],
            ),
          },
        },
        {
          files: {
            'var/lib/dpkg/status': status(
              ['libc6', '2.36-9'],
              ['curl', '7.88.1-10+deb12u8'],
              ['git', '1:2.39.5-0'],
            ),
          },
        },
      ]);
      expect(report.packages.map((p) => [p.name, p.version, layers.indexOf(p.layer)])).toEqual([
        ['curl', '7.88.1-10+deb12u8', 2],
        ['git', '1:2.39.5-0', 1],
        ['libc6', '2.36-9', 0],
      ]);
      expect(report.packages[0]).toMatchObject({
        type: 'deb',
        purl: 'pkg:deb/debian/curl@7.88.1-10+deb12u8?arch=amd64&distro=debian-12',
        path: 'var/lib/dpkg/status',
        source: { name: 'curl', version: '7.88.1-10+deb12u8' },
        ownedBy: null,
      });
      expect(report.os).toMatchObject({
        id: 'debian',
        versionId: '12',
        eol: false,
        eolDate: '2028-06-30',
      });
    });
  });

  describe('when apt installed a Python package', () => {
    it('marks the Python package as owned by its .deb, and leaves a pip-installed one unowned', async () => {
      const metadata = 'usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA';
      const { report } = await scan([
        {
          files: {
            'etc/os-release': OS_RELEASE,
            'var/lib/dpkg/status': status(['python3-six', '1.16.0-4']),
            'var/lib/dpkg/info/python3-six.list': `/.\n/usr/lib/python3/dist-packages\n/${metadata}\n`,
            [metadata]: 'Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n',
            'usr/local/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA':
              'Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\n',
          },
        },
      ]);
      expect(report.packages.map((p) => [p.type, p.name, p.ownedBy])).toEqual([
        ['deb', 'python3-six', null],
        ['pypi', 'requests', null],
        ['pypi', 'six', 'pkg:deb/debian/python3-six@1.16.0-4?arch=amd64&distro=debian-12'],
      ]);
    });
  });

  describe('when the image is Alpine', () => {
    it('reads apk packages with alpine purls, and apk file lists own language packages', async () => {
      const metadata = 'usr/lib/python3.12/site-packages/six-1.16.0.dist-info/METADATA';
      const { report } = await scan([
        {
          files: {
            'etc/os-release': 'ID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME="Alpine Linux v3.20"\n',
            'lib/apk/db/installed': `P:musl\nV:1.2.5-r0\nA:x86_64\nL:MIT\n\nP:py3-six\nV:1.16.0-r9\nA:noarch\no:py-six\nF:usr/lib/python3.12/site-packages/six-1.16.0.dist-info\nR:METADATA\n`,
            [metadata]: 'Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n',
          },
        },
      ]);
      expect(report.os).toMatchObject({
        id: 'alpine',
        versionId: '3.20.3',
        eol: true,
        eolDate: '2026-04-01',
      });
      expect(report.packages.map((p) => [p.purl, p.ownedBy])).toEqual([
        ['pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.3', null],
        ['pkg:apk/alpine/py3-six@1.16.0-r9?arch=noarch&distro=alpine-3.20.3', null],
        [
          'pkg:pypi/six@1.16.0',
          'pkg:apk/alpine/py3-six@1.16.0-r9?arch=noarch&distro=alpine-3.20.3',
        ],
      ]);
    });
  });

  describe('when the image ships Go and Rust executables', () => {
    const binary = (path: string) => ({
      type: 'file' as const,
      content: readFileSync(join(FIXTURES, path)),
      mode: 0o755,
    });

    it.each([
      ['held in memory', undefined],
      ['spilled to disk', { spillAboveBytes: 64 * 1024 }],
    ])('lists their modules and crates, %s', async (_, limits) => {
      const { report, layers } = await scan(
        [
          {
            files: {
              'etc/os-release': OS_RELEASE,
              'usr/local/bin/app': binary('go/modules/usr/local/bin/app'),
              'usr/local/bin/tool': binary('cargo/auditable/usr/local/bin/tool'),
              'usr/local/bin/start.sh': { type: 'file', content: '#!/bin/sh\n', mode: 0o755 },
            },
          },
          { files: { 'srv/server': binary('go/stripped/app/server') } },
        ],
        limits,
      );
      expect(report.packages.map((p) => [p.purl, p.path, p.layer])).toEqual([
        ['pkg:cargo/itoa@1.0.11', 'usr/local/bin/tool', layers[0]],
        ['pkg:cargo/serde@1.0.203', 'usr/local/bin/tool', layers[0]],
        ['pkg:cargo/tool@0.3.1', 'usr/local/bin/tool', layers[0]],
        ...[
          'pkg:golang/example.com/app@v0.0.0-20240506070809-184696b86139',
          'pkg:golang/example.com/lib@v1.2.3',
          'pkg:golang/example.com/local',
          'pkg:golang/example.com/new@v1.1.0',
          'pkg:golang/stdlib@v1.19.8',
        ].flatMap((purl) => [
          [purl, 'srv/server', layers[1]],
          [purl, 'usr/local/bin/app', layers[0]],
        ]),
      ]);
      expect(report.problems).toEqual([]);
    });
  });

  describe('when the image is Red Hat Enterprise Linux', () => {
    it('reads the rpm database with rhel purls, and rpm file lists own a Go binary', async () => {
      const rpmdb = readFileSync(join(FIXTURES, 'rpm/multiple/var/lib/rpm/rpmdb.sqlite'));
      const goBinary = readFileSync(join(FIXTURES, 'go/modules/usr/local/bin/app'));
      const { report, layers } = await scan([
        {
          files: {
            'etc/os-release':
              'NAME="Red Hat Enterprise Linux"\nID="rhel"\nID_LIKE="fedora"\nVERSION_ID="9.4"\n',
            'var/lib/rpm/rpmdb.sqlite': rpmdb,
            // A path tiny-hello's file list claims: its Go modules are the rpm's.
            'usr/share/tiny-hello/file-1.txt': { type: 'file', content: goBinary, mode: 0o755 },
          },
        },
      ]);
      expect(report.os).toMatchObject({ id: 'rhel', versionId: '9.4', eol: false });
      const rpms = report.packages.filter((p) => p.type === 'rpm');
      expect(rpms.map((p) => [p.purl, p.source, p.licenses, p.layer])).toEqual([
        [
          'pkg:rpm/rhel/tiny-hello@1.0-1.fc40?arch=noarch&distro=rhel-9.4',
          { name: 'tiny-hello', version: '1.0-1.fc40' },
          ['MIT'],
          layers[0],
        ],
        [
          'pkg:rpm/rhel/tiny-lib@2.3.4-5.el9?arch=noarch&distro=rhel-9.4&epoch=3',
          { name: 'tiny-lib', version: '2.3.4-5.el9' },
          ['GPL-2.0-or-later AND BSD-3-Clause'],
          layers[0],
        ],
        [
          'pkg:rpm/rhel/tiny-many@0.1-1?arch=noarch&distro=rhel-9.4',
          { name: 'tiny-many', version: '0.1-1' },
          ['Apache-2.0'],
          layers[0],
        ],
      ]);
      const golang = report.packages.filter((p) => p.type === 'golang');
      expect(golang).toHaveLength(5);
      expect(new Set(golang.map((p) => p.ownedBy))).toEqual(new Set([rpms[0]!.purl]));
    });
  });

  describe('when an application has both a lockfile and node_modules', () => {
    it('counts the installed packages, not the lockfile', async () => {
      const lock = JSON.stringify({
        name: 'app',
        version: '1.0.0',
        lockfileVersion: 3,
        packages: {
          '': { name: 'app', version: '1.0.0' },
          'node_modules/left-pad': { version: '1.3.0' },
        },
      });
      const installed = {
        'app/node_modules/left-pad/package.json': '{"name":"left-pad","version":"1.3.0"}',
      };
      const withModules = await scan([{ files: { 'app/package-lock.json': lock, ...installed } }]);
      expect(withModules.report.packages.map((p) => [p.name, p.path])).toEqual([
        ['left-pad', 'app/node_modules/left-pad/package.json'],
      ]);
      const lockOnly = await scan([{ files: { 'app/package-lock.json': lock } }]);
      expect(lockOnly.report.packages.map((p) => p.name)).toEqual(['app', 'left-pad']);
    });
  });

  describe('when a later layer deletes a package database', () => {
    it('drops the packages it held', async () => {
      const { report } = await scan([
        {
          files: {
            'var/lib/dpkg/status.d/base-files': 'Package: base-files\nVersion: 12.4\n',
            'var/lib/dpkg/status.d/tzdata': 'Package: tzdata\nVersion: 2024a-0\n',
          },
        },
        { files: { 'var/lib/dpkg/status.d/.wh.tzdata': '' } },
      ]);
      expect(report.packages.map((p) => p.name)).toEqual(['base-files']);
      expect(report.os).toBeNull();
    });
  });

  describe('when a layer is corrupt', () => {
    it('reports it as a problem and still lists the packages of the other layers', async () => {
      const { report, layers } = await scan([
        { files: { 'var/lib/dpkg/status': status(['libc6', '2.36-9']) } },
        {
          tar: Buffer.from('this is not a tar archive, just bytes that do not parse'.repeat(20)),
          compression: 'gzip',
        },
      ]);
      expect(report.packages.map((p) => p.name)).toEqual(['libc6']);
      expect(report.problems).toEqual([
        expect.objectContaining({
          layer: layers[1],
          reason: expect.stringContaining('malformed tar'),
        }),
      ]);
    });
  });

  describe('when the same image is scanned twice', () => {
    it('gives identical reports', async () => {
      const layers: LayerSpec[] = [
        {
          files: {
            'etc/os-release': OS_RELEASE,
            'var/lib/dpkg/status': status(['b', '1'], ['a', '2'], ['c', '0']),
          },
        },
      ];
      const first = (await scan(layers)).report;
      const second = (await scan(layers)).report;
      expect(JSON.stringify(second)).toBe(JSON.stringify(first));
      expect(first.packages.map((p) => p.name)).toEqual(['a', 'b', 'c']);
    });
  });
});
