import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FoundPackage } from '../../shared/analyzers/analyzer';
import { rpmAnalyzer } from '../../shared/analyzers/rpm';
import { analyzeFixture, analyzerFile, FIXTURES, REGULAR_FILE } from '../support/analyzer-fixtures';

const RPM = join(FIXTURES, 'rpm');

const analyze = async (name: string) => analyzeFixture(rpmAnalyzer, join(RPM, name));
const fixture = async (name: string) => (await analyze(name))[0]!.result;

/** `rpm -qa` output recorded by make-fixtures.sh, in the analyser's shape. */
function expectedPackages(name: string): Partial<FoundPackage>[] {
  const dir = join(RPM, name, 'var', 'lib', 'rpm');
  const files = linesOf(join(dir, 'files.tsv')).map((line) => line.split('\t'));
  return linesOf(join(dir, 'expected.tsv')).map((line) => {
    const [pkg, epoch, version, arch, sourceRpm, license, vendor, requires] = line.split('\t');
    return {
      name: pkg,
      version,
      epoch: epoch === '0' ? undefined : Number(epoch),
      arch,
      source: sourceOf(sourceRpm!),
      licenses: [license!],
      supplier: vendor === '(none)' ? undefined : vendor,
      dependencies: requires!
        .split(',')
        .filter((r) => r !== '' && !/^rpmlib\(|^\/|^lib.*\.so/.test(r)),
      files: files.filter(([owner]) => owner === pkg).map(([, path]) => path!.slice(1)),
    };
  });
}

/** `openssl-3.0.8-1.amzn2023.0.14.src.rpm` → name and version-release, as rpm names them. */
function sourceOf(sourceRpm: string): FoundPackage['source'] {
  const [, name, version, release] = /^(.+)-([^-]+)-([^-]+)\.src\.rpm$/.exec(sourceRpm)!;
  return { name: name!, version: `${version!}-${release!}` };
}

function linesOf(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
}

describe('rpmAnalyzer', () => {
  describe('wants', () => {
    it.each([
      ['var/lib/rpm/rpmdb.sqlite', true],
      ['var/lib/rpm/Packages', true],
      ['var/lib/rpm/Packages.db', true],
      ['usr/lib/sysimage/rpm/rpmdb.sqlite', true],
      ['usr/lib/sysimage/rpm/Packages', true],
      ['usr/lib/sysimage/rpm/Packages.db', true],
      ['var/lib/rpm/Name', false],
      ['var/lib/rpm/rpmdb.sqlite-wal', false],
      ['opt/var/lib/rpm/Packages', false],
      ['var/lib/rpm/toString', false],
    ])('%s → %s', (path, wanted) => {
      expect(rpmAnalyzer.wants(path, REGULAR_FILE)).toBe(wanted);
    });
  });

  describe.each([
    ['single', 'sqlite'],
    ['multiple', 'sqlite'],
    ['bdb-overflow', 'Berkeley DB, headers on overflow page chains'],
    ['bdb-big-endian', 'big-endian Berkeley DB'],
    ['ndb', 'NDB'],
    ['empty', 'sqlite'],
    ['amazon-2023', 'sqlite, as Amazon Linux 2023 keeps it'],
    ['amazon-2', 'Berkeley DB, as Amazon Linux 2 keeps it'],
  ])('when the database is %s (%s)', (name) => {
    it('finds what `rpm -qa` listed, without problems', async () => {
      const { packages, problems } = await fixture(name);
      const byName = [...packages!].sort((a, b) => a.name.localeCompare(b.name));
      expect(byName.map((p) => ({ ...p, epoch: p.epoch, supplier: p.supplier }))).toEqual(
        expectedPackages(name).map((p): unknown => expect.objectContaining(p)),
      );
      expect(problems).toEqual([]);
    });
  });

  describe('when the database has one package', () => {
    it('reads every field, folding the release into the version', async () => {
      expect((await fixture('single')).packages).toEqual([
        {
          type: 'rpm',
          name: 'tiny-hello',
          version: '1.0-1.fc40',
          arch: 'noarch',
          source: { name: 'tiny-hello', version: '1.0-1.fc40' },
          licenses: ['MIT'],
          supplier: 'Clearance Fixtures',
          dependencies: ['tiny-lib'],
          files: [
            'usr/share/tiny-hello',
            'usr/share/tiny-hello/file-1.txt',
            'usr/share/tiny-hello/file-2.txt',
          ],
        },
      ]);
    });
  });

  describe('when a package has an epoch', () => {
    it('keeps it apart from the version', async () => {
      const { packages } = await fixture('multiple');
      expect(packages!.find((p) => p.name === 'tiny-lib')).toMatchObject({
        epoch: 3,
        version: '2.3.4-5.el9',
        source: { name: 'tiny-lib', version: '2.3.4-5.el9' },
      });
    });
  });

  describe.each([
    ['amazon-2023', '3.0.8-1.amzn2023.0.14', 'curl-minimal', '8.5.0-1.amzn2023.0.4'],
    ['amazon-2', '1.0.2k-24.amzn2.0.12', 'libcurl', '8.3.0-1.amzn2.0.5'],
  ])('when the database is %s', (name, openssl, curl, curlVersion) => {
    it('reads binary rpms apart from their source rpm, with epoch, arch and vendor', async () => {
      const { packages } = await fixture(name);
      const byName = (n: string) => packages!.find((p) => p.name === n);
      expect(byName('openssl-libs')).toMatchObject({
        epoch: 1,
        version: openssl,
        arch: 'x86_64',
        source: { name: 'openssl', version: openssl },
        supplier: 'Amazon Linux',
      });
      expect(byName(curl)).toMatchObject({
        version: curlVersion,
        source: { name: 'curl', version: curlVersion },
      });
      expect(byName(curl)!.epoch).toBeUndefined();
      expect(byName('system-release')).toMatchObject({ supplier: 'Amazon Linux' });
    });
  });

  describe('when the databases are corrupt', () => {
    it('reports a problem when a header blob is cut short, and keeps the other packages', async () => {
      const results = await analyze('corrupt');
      const sqlite = results.find((r) => r.path === 'var/lib/rpm/rpmdb.sqlite')!.result;
      expect(sqlite.packages!.map((p) => p.name).sort()).toEqual(['tiny-hello', 'tiny-lib']);
      expect(sqlite.problems).toEqual([
        { reason: expect.stringMatching(/^package 3: header: .* do not fit in 40 bytes$/) },
      ]);
    });

    it('reports a problem when a Berkeley DB file is cut short', async () => {
      const results = await analyze('corrupt');
      const bdb = results.find((r) => r.path === 'usr/lib/sysimage/rpm/Packages')!.result;
      expect(bdb.packages).toEqual([]);
      expect(bdb.problems![0]!.reason).toMatch(/^bdb: expected \d+ pages, got 2/);
    });

    it('reports a problem when an NDB file is garbage', async () => {
      const results = await analyze('corrupt');
      const ndb = results.find((r) => r.path === 'usr/lib/sysimage/rpm/Packages.db')!.result;
      expect(ndb).toEqual({
        packages: [],
        problems: [{ reason: expect.stringMatching(/^ndb: /) }],
      });
    });

    it.each([
      ['var/lib/rpm/rpmdb.sqlite', /^sqlite: /],
      ['var/lib/rpm/Packages', /^bdb: /],
      ['var/lib/rpm/Packages.db', /^ndb: /],
    ])('reports a problem when %s holds random bytes', async (path, reason) => {
      const bytes = Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 131 + 7) % 251));
      const result = await rpmAnalyzer.analyze(analyzerFile(path, bytes));
      expect(result.packages).toEqual([]);
      expect(result.problems![0]!.reason).toMatch(reason);
    });
  });

  describe('when the database was cut at the read limit', () => {
    it('says packages past the limit are missing', async () => {
      const path = 'var/lib/rpm/Packages';
      const bytes = readFileSync(join(RPM, 'bdb-overflow', path)).subarray(0, 4096);
      const result = await rpmAnalyzer.analyze(analyzerFile(path, bytes, true));
      expect(result.problems![0]!.reason).toMatch(/larger than the read limit/);
    });
  });
});
