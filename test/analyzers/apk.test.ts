import { apkAnalyzer } from '../../shared/analyzers/apk';
import { normaliseEntryPath } from '../../shared/layers/paths';
import { analyzerFile, fixtureCases, goldenCase, REGULAR_FILE } from '../support/analyzer-fixtures';

const result = async (name: string) =>
  (await goldenCase(apkAnalyzer, 'apk', name)).actual[0]!.result;
const packages = async (name: string) => (await result(name)).packages!;
const TRUNCATED =
  'the database is larger than the read limit; its last, cut record and the packages past it are missing';

describe('apkAnalyzer', () => {
  describe('wants', () => {
    it.each([
      ['lib/apk/db/installed', true],
      ['lib/apk/db/installed.old', false],
      ['usr/lib/apk/db/installed', false],
      ['lib/apk/db/triggers', false],
    ])('%s → %s', (path, wanted) => {
      expect(apkAnalyzer.wants(path, REGULAR_FILE)).toBe(wanted);
    });
  });

  describe('when run over the fixture directories', () => {
    it.each(fixtureCases('apk'))('finds what %s/expected.json says', async (name) => {
      const { actual, expected } = await goldenCase(apkAnalyzer, 'apk', name);
      expect(actual).toEqual(expected);
    });

    it.each(fixtureCases('apk'))('gives %s only relative, normalised file paths', async (name) => {
      for (const p of (await result(name)).packages ?? [])
        for (const file of p.files ?? [])
          expect(normaliseEntryPath(file)).toEqual({ ok: true, path: file });
    });
  });

  describe('when the database has one package', () => {
    it('reads name, version, arch, origin, licence, maintainer and files', async () => {
      expect(await packages('single')).toEqual([
        {
          type: 'apk',
          name: 'musl',
          version: '1.2.5-r0',
          arch: 'x86_64',
          source: { name: 'musl', version: '1.2.5-r0' },
          licenses: ['MIT'],
          dependencies: [],
          files: ['lib/ld-musl-x86_64.so.1', 'lib/libc.musl-x86_64.so.1'],
          supplier: 'Natanael Copa <ncopa@alpinelinux.org>',
        },
      ]);
    });
  });

  describe('when the database has several packages', () => {
    it('keeps each one in order, with its origin as source', async () => {
      expect((await packages('multiple')).map((p) => [p.name, p.source])).toEqual([
        ['alpine-baselayout-data', { name: 'alpine-baselayout', version: '3.6.5-r0' }],
        ['alpine-baselayout', { name: 'alpine-baselayout', version: '3.6.5-r0' }],
        ['busybox', { name: 'busybox', version: '1.36.1-r29' }],
        ['busybox-binsh', { name: 'busybox', version: '1.36.1-r29' }],
        ['musl', { name: 'musl', version: '1.2.5-r0' }],
        ['ssl_client', { name: 'busybox', version: '1.36.1-r29' }],
        ['ca-certificates-bundle', { name: 'ca-certificates', version: '20240705-r0' }],
      ]);
    });

    it('resolves provided names and files to the installed package providing them', async () => {
      const dependencies = Object.fromEntries(
        (await packages('multiple')).map((p) => [p.name, p.dependencies]),
      );
      expect(dependencies).toMatchObject({
        'alpine-baselayout': ['alpine-baselayout-data', 'busybox-binsh'],
        busybox: ['musl'],
        'busybox-binsh': ['busybox'],
      });
    });

    it('keeps a provided name as written when no installed package provides it', async () => {
      const sslClient = (await packages('multiple')).find((p) => p.name === 'ssl_client');
      expect(sslClient!.dependencies).toEqual(['musl', 'so:libcrypto.so.3', 'so:libssl.so.3']);
    });

    it('keeps the licence expression as one string', async () => {
      const bundle = (await packages('multiple')).find((p) => p.name === 'ca-certificates-bundle');
      expect(bundle!.licenses).toEqual(['MPL-2.0 AND MIT']);
    });
  });

  describe('when a package has many directories and files', () => {
    it('puts each R under the F before it and lists no bare directories', async () => {
      const [busybox] = await packages('many-files');
      expect(busybox!.files).toEqual([
        'bin/busybox',
        'etc/securetty',
        'etc/udhcpd.conf',
        'etc/logrotate.d/acpid',
        'etc/network/if-up.d/dad',
        'usr/share/udhcpc/default.script',
      ]);
    });
  });

  describe('when a virtual package ends the file without a blank line', () => {
    it('reads it with no source, licence or maintainer, and strips version constraints', async () => {
      const found = await packages('virtual-package');
      expect(found[1]).toEqual({
        type: 'apk',
        name: '.build-deps',
        version: '20240806.101530',
        arch: 'noarch',
        dependencies: ['gcc', 'musl-dev', 'zlib-dev'],
        files: [],
      });
      expect(found[0]!.dependencies).toEqual(['so:libc.musl-x86_64.so.1']);
    });
  });

  describe('when the database is empty', () => {
    it('finds nothing and reports nothing', async () => {
      expect(await result('empty')).toEqual({ packages: [], problems: [] });
    });
  });

  describe('when records are broken', () => {
    it('reports a problem for each broken record by line and keeps the good ones', async () => {
      const { packages: found, problems } = await result('corrupt');
      expect(found!.map((p) => [p.name, p.files])).toEqual([
        ['ok', []],
        ['escapes', ['usr/bin/tool']],
      ]);
      expect(problems!.map((p) => p.reason)).toEqual([
        'line 7: expected "K:value", got "garbage line without a colon"',
        'record at line 5: no P field',
        'record at line 9: no V field',
        'record at line 12: path "../../outside/passwd" escapes the image root',
      ]);
    });
  });

  describe('when the database was cut at the read limit', () => {
    const cut = (text: string) =>
      apkAnalyzer.analyze(analyzerFile('lib/apk/db/installed', Buffer.from(text), true));

    it('reports a problem and drops the cut last record', async () => {
      const { packages: found, problems } = await cut('P:a\nV:1.0-r0\n\nP:b\nV:1.2');
      expect(found!.map((p) => p.name)).toEqual(['a']);
      expect(problems).toEqual([{ reason: TRUNCATED }]);
    });

    it('keeps the last record when the cut fell on a record boundary', async () => {
      const { packages: found } = await cut('P:a\nV:1.0-r0\n\nP:b\nV:1.2-r0\n\n');
      expect(found!.map((p) => p.name)).toEqual(['a', 'b']);
    });
  });
});
