import { join } from 'node:path';
import { dpkgAnalyzer } from '../../shared/analyzers/dpkg';
import { analyzeFixture, analyzerFile, FIXTURES, REGULAR_FILE } from '../support/analyzer-fixtures';

const fixture = (name: string) => analyzeFixture(dpkgAnalyzer, join(FIXTURES, 'dpkg', name));
const packages = async (name: string) =>
  (await fixture(name)).flatMap((r) => r.result.packages ?? []);

describe('dpkgAnalyzer', () => {
  describe('wants', () => {
    it.each([
      ['var/lib/dpkg/status', true],
      ['var/lib/dpkg/status.d/libssl3', true],
      ['var/lib/dpkg/status.d/libssl3.md5sums', true],
      ['var/lib/dpkg/info/libssl3:amd64.list', true],
      ['var/lib/dpkg/info/libssl3:amd64.md5sums', true],
      ['var/lib/dpkg/status-old', false],
      ['var/lib/dpkg/info/libssl3:amd64.postinst', false],
      ['var/lib/dpkg/status.d/sub/x', false],
      ['usr/var/lib/dpkg/status', false],
      ['usr/share/doc/libssl3/copyright', true],
      ['usr/share/doc/libssl3/changelog.Debian.gz', false],
      ['usr/share/doc/libssl3/sub/copyright', false],
    ])('%s → %s', (path, wanted) => {
      expect(dpkgAnalyzer.wants(path, REGULAR_FILE)).toBe(wanted);
    });
  });

  describe('when the status file has one package', () => {
    it('reads name, version, arch, source, dependencies and maintainer', async () => {
      expect(await packages('single')).toEqual([
        {
          type: 'deb',
          name: 'libssl3',
          version: '3.0.15-1~deb12u1',
          arch: 'amd64',
          source: { name: 'openssl', version: '3.0.15-1~deb12u1' },
          dependencies: ['libc6'],
          supplier: 'Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>',
        },
      ]);
    });

    it('reads the files the package owns from info/*.list, without the arch suffix', async () => {
      const ownership = (await fixture('single')).flatMap((r) => r.result.ownership ?? []);
      expect(ownership).toEqual([
        {
          type: 'deb',
          name: 'libssl3',
          files: [
            'usr',
            'usr/lib',
            'usr/lib/x86_64-linux-gnu',
            'usr/lib/x86_64-linux-gnu/libcrypto.so.3',
            'usr/lib/x86_64-linux-gnu/libssl.so.3',
          ],
        },
      ]);
    });
  });

  describe('when a package ships a machine-readable copyright file', () => {
    it('declares its licences, each once, for the package named by the doc directory', async () => {
      const licenses = (await fixture('single')).flatMap((r) => r.result.licenses ?? []);
      expect(licenses).toEqual([{ type: 'deb', name: 'libssl3', licenses: ['Apache-2.0'] }]);
    });

    it('declares nothing for a free-form copyright file', async () => {
      const result = await dpkgAnalyzer.analyze(
        analyzerFile('usr/share/doc/x/copyright', Buffer.from('This package is GPL.\n')),
      );
      expect(result).toEqual({});
    });
  });

  describe('when the status file has several packages', () => {
    it('keeps installed ones only, with `Source: name (version)` and epochs as written', async () => {
      const found = await packages('multiple');
      expect(found.map((p) => [p.name, p.version, p.source])).toEqual([
        ['libc6', '2.36-9+deb12u8', { name: 'glibc', version: '2.36-9+deb12u8' }],
        ['python3-six', '1.16.0-4', { name: 'six', version: '1.16.0-4' }],
        ['bsdutils', '1:2.38.1-5+deb12u1', { name: 'util-linux', version: '2.38.1-5' }],
      ]);
      expect(found[2]!.dependencies).toEqual(['libc6', 'libelogind0', 'libsystemd0']);
    });
  });

  describe('when the image is distroless (status.d)', () => {
    it('reads one database per package without Status fields, and md5sums as ownership', async () => {
      const results = await fixture('distroless');
      expect(results[0]!.result.packages?.[0]?.source).toEqual({
        name: 'base-files',
        version: '12.4+deb12u7',
      });
      expect(results.flatMap((r) => r.result.packages ?? []).map((p) => p.name)).toEqual([
        'base-files',
        'libssl3',
      ]);
      expect(results.flatMap((r) => r.result.ownership ?? [])).toEqual([
        { type: 'deb', name: 'libssl3', files: ['usr/lib/x86_64-linux-gnu/libssl.so.3'] },
      ]);
    });
  });

  describe('when the status file is empty', () => {
    it('finds nothing and reports nothing', async () => {
      expect(await fixture('empty')).toEqual([
        { path: 'var/lib/dpkg/status', result: { packages: [], problems: [] } },
      ]);
    });
  });

  describe('when the status file is corrupt', () => {
    it('reports a problem per bad line or stanza and keeps the good packages', async () => {
      const { result } = (await fixture('corrupt'))[0]!;
      expect(result.packages).toEqual([expect.objectContaining({ name: 'ok-package' })]);
      expect(result.problems?.map((p) => p.reason)).toEqual([
        'line 1: continuation line without a field',
        'line 7: expected "Field: value", got "this line has no colon"',
        'stanza at line 7: Package or Version missing',
      ]);
    });
  });

  describe('when the database was cut at the read limit', () => {
    it('says packages past the limit are missing', async () => {
      const result = await dpkgAnalyzer.analyze(
        analyzerFile(
          'var/lib/dpkg/status',
          Buffer.from('Package: a\nVersion: 1\nStatus: install ok installed\n\nPackage: b\nVers'),
          true,
        ),
      );
      expect(result.packages?.map((p) => p.name)).toEqual(['a']);
      expect(result.problems?.map((p) => p.reason)).toContain(
        'the database is larger than the read limit; packages past it are missing',
      );
    });
  });
});
