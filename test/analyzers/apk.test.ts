import { join } from 'node:path';
import { apkAnalyzer } from '../../shared/analyzers/apk';
import { analyzeFixture, FIXTURES } from '../support/analyzer-fixtures';

const fixture = async (name: string) =>
  (await analyzeFixture(apkAnalyzer, join(FIXTURES, 'apk', name)))[0]!.result;

describe('apkAnalyzer', () => {
  describe('wants', () => {
    it.each([
      ['lib/apk/db/installed', true],
      ['lib/apk/db/installed.old', false],
      ['usr/lib/apk/db/installed', false],
      ['lib/apk/db/triggers', false],
    ])('%s → %s', (path, wanted) => {
      expect(apkAnalyzer.wants(path)).toBe(wanted);
    });
  });

  describe('when the database has one package', () => {
    it('reads name, version, arch, origin, licence, maintainer and files', async () => {
      expect((await fixture('single')).packages).toEqual([
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
    it('keeps each one, with origins, package dependencies only, and files under their directories', async () => {
      const { packages } = await fixture('multiple');
      expect(packages!.map((p) => [p.name, p.source?.name, p.dependencies])).toEqual([
        ['alpine-baselayout', 'alpine-baselayout', ['/bin/sh', 'alpine-baselayout-data']],
        ['busybox', 'busybox', []],
        ['ssl_client', 'busybox', ['libssl3', 'musl']],
        ['ca-certificates-bundle', 'ca-certificates-bundle', []],
      ]);
      expect(packages![0]!.files).toEqual(['etc/motd', 'etc/profile.d/color_prompt.sh.disabled']);
      expect(packages![3]!.licenses).toEqual(['MPL-2.0 AND MIT']);
    });

    it('falls back to the package itself when a record has no origin (o:)', async () => {
      const { packages } = await fixture('multiple');
      expect(packages![3]!.source).toEqual({
        name: 'ca-certificates-bundle',
        version: '20240705-r0',
      });
    });
  });

  describe('when the database is empty', () => {
    it('finds nothing and reports nothing', async () => {
      expect(await fixture('empty')).toEqual({ packages: [], problems: [] });
    });
  });

  describe('when records are broken', () => {
    it('reports each broken record by line and keeps the good ones', async () => {
      const result = await fixture('corrupt');
      expect(result.packages!.map((p) => p.name)).toEqual(['ok']);
      expect(result.problems!.map((p) => p.reason)).toEqual([
        'line 7: expected "K:value", got "garbage line without a colon"',
        'record at line 5: P (name) or V (version) missing',
        'record at line 9: P (name) or V (version) missing',
      ]);
    });
  });

  describe('when the database was cut at the read limit', () => {
    it('says packages past the limit are missing', async () => {
      const result = await apkAnalyzer.analyze({
        path: 'lib/apk/db/installed',
        bytes: Buffer.from('P:a\nV:1\n\nP:b\nV'),
        truncated: true,
      });
      expect(result.problems!.map((p) => p.reason)).toContain(
        'the database is larger than the read limit; packages past it are missing',
      );
    });
  });
});
