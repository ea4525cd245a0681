import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importOsv } from '../../shared/vulndb/import';
import { LocalStore } from '../../shared/vulndb/local-store';
import { VulnDbError } from '../../shared/vulndb/errors';
import { osv } from '../support/osv';
import { useTempDir } from '../support/temp';

const OSV = join(__dirname, '..', 'fixtures', 'osv');

describe('LocalStore', () => {
  const dir = useTempDir();
  const withStore = async <T>(work: (store: LocalStore) => Promise<T>): Promise<T> => {
    const store = LocalStore.open(join(dir(), 'db'), { create: true });
    try {
      return await work(store);
    } finally {
      store.close();
    }
  };

  describe('when importing an ecosystem export (all.zip)', () => {
    it('reads every .json entry, skips and counts the malformed ones, and ignores the rest', async () => {
      const report = await withStore((store) => importOsv(store, [join(OSV, 'all.zip')]));
      expect(report).toMatchObject({ read: 17, inserted: 10, malformed: 7, gitRanges: 1 });
      expect(report.problems.map((p) => p.source)).toEqual(
        expect.arrayContaining([`${join(OSV, 'all.zip')}!/no-id.json`]),
      );
      expect(report.problems).toContainEqual({
        source: `${join(OSV, 'all.zip')}!/not-json.json`,
        reason: expect.stringMatching(/^invalid JSON/),
      });
    });
  });

  describe('when one entry of an export is damaged', () => {
    it('counts it as malformed and imports the rest', async () => {
      const zip = readFileSync(join(OSV, 'all.zip'));
      const name = Buffer.from('DSA-5532-1.json');
      const at = zip.indexOf(name) + name.length; // the entry's local header name, then its data
      zip.writeUInt8(zip.readUInt8(at + 20) ^ 0xff, at + 20);
      const damaged = join(dir(), 'damaged.zip');
      writeFileSync(damaged, zip);
      const report = await withStore((store) => importOsv(store, [damaged]));
      expect(report).toMatchObject({ inserted: 9, malformed: 8 });
      expect(report.problems).toContainEqual({
        source: `${damaged}!/DSA-5532-1.json`,
        reason: expect.stringMatching(/does not (inflate|match its CRC-32)/),
      });
    });
  });

  describe('when importing a directory and single files', () => {
    it('gives the same store as the zip, to the content hash', async () => {
      const fromZip = await withStore(async (store) => {
        await importOsv(store, [join(OSV, 'all.zip')]);
        return store.dataVersion();
      });
      const other = LocalStore.open(join(dir(), 'other'), { create: true });
      await importOsv(other, [join(OSV, 'valid'), join(OSV, 'malformed', 'no-id.json')]);
      const fromFiles = await other.dataVersion();
      other.close();
      expect(fromFiles.contentHash).toBe(fromZip.contentHash);
      expect(fromFiles).toMatchObject({ records: 10, newestModified: '2024-10-01T12:00:00Z' });
    });
  });

  describe('when a record is imported again', () => {
    it('keeps the newer modified and ignores an equal or older copy', async () => {
      const records = join(dir(), 'records');
      cpSync(join(OSV, 'valid'), records, { recursive: true });
      await withStore(async (store) => {
        await importOsv(store, [records]);
        expect(await importOsv(store, [records])).toMatchObject({ unchanged: 10, inserted: 0 });
        const file = join(records, 'DSA-5532-1.json');
        const record = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
        writeFileSync(
          file,
          JSON.stringify({ ...record, modified: '2025-01-01T00:00:00Z', affected: [] }),
        );
        expect(await importOsv(store, [file])).toMatchObject({ updated: 1 });
        const found = await store.advisoriesFor([{ ecosystem: 'Debian:12', name: 'openssl' }]);
        expect(found.get('Debian:12\0openssl')!.map((r) => r.id)).toEqual(['DEBIAN-CVE-2024-2511']);
      });
    });
  });

  describe('advisoriesFor', () => {
    const lookup = (queries: { ecosystem: string; name: string }[]) =>
      withStore(async (store) => {
        await importOsv(store, [join(OSV, 'valid')]);
        return store.advisoriesFor(queries);
      });

    it('finds records by ecosystem key and normalised name, distro releases apart', async () => {
      const found = await lookup([
        { ecosystem: 'Debian:12', name: 'openssl' },
        { ecosystem: 'Alpine:3.20', name: 'openssl' },
        { ecosystem: 'Alpine:3.18', name: 'openssl' },
        { ecosystem: 'PyPI', name: 'Requests' },
        { ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core' },
      ]);
      expect([...found].map(([key, records]) => [key, records.map((r) => r.id)])).toEqual([
        ['Debian:12\0openssl', ['DEBIAN-CVE-2024-2511', 'DSA-5532-1']],
        ['Alpine:3.20\0openssl', ['ALPINE-CVE-2024-0727']],
        ['PyPI\0Requests', ['PYSEC-2023-74']],
        ['Maven\0org.apache.logging.log4j:log4j-core', ['GHSA-jfh8-c2jp-5v3q']],
      ]);
    });

    it('leaves withdrawn records out', async () => {
      expect((await lookup([{ ecosystem: 'crates.io', name: 'time' }])).size).toBe(0);
    });

    it('returns each advisory as the package sees it, its severity computed at import', async () => {
      const found = await lookup([
        { ecosystem: 'Go', name: 'golang.org/x/net' },
        { ecosystem: 'npm', name: 'semver' },
      ]);
      expect(found.get('Go\0golang.org/x/net')![0]).toMatchObject({
        id: 'GO-2024-2687',
        aliases: ['CVE-2023-45288', 'GHSA-4v7x-pqxf-cx7m'],
        entries: [{ ecosystem: 'Go', ranges: [{ type: 'SEMVER' }] }],
      });
      expect(found.get('npm\0semver')![0]!.entries[0]!.severity).toEqual({
        severity: 'HIGH',
        cvss: { score: 7.5, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' },
        vendor: 'cvss',
      });
    });

    it("gives each package only the record's entries that name it", async () => {
      const record = osv({
        id: 'PYSEC-0000-1',
        modified: '2024-10-01T12:00:00Z',
        affected: ['Requests_Toolbelt', 'requests'].map((name) => ({
          package: { ecosystem: 'PyPI', name },
          versions: [`${name}-1.0`],
        })),
      });
      const found = await withStore(async (store) => {
        await store.transaction((add) => Promise.resolve(add(record)));
        return store.advisoriesFor([{ ecosystem: 'PyPI', name: 'requests.toolbelt' }]);
      });
      expect(found.get('PyPI\0requests.toolbelt')![0]!.entries).toEqual([
        { ecosystem: 'PyPI', ranges: [], versions: ['Requests_Toolbelt-1.0'] },
      ]);
    });
  });

  describe('severitiesByAlias', () => {
    it('finds the severities of the records that name an id as id, alias or upstream', async () => {
      const found = await withStore(async (store) => {
        await importOsv(store, [join(OSV, 'valid')]);
        return store.severitiesByAlias([
          'CVE-2022-25883',
          'GHSA-jfh8-c2jp-5v3q',
          'CVE-2023-5363',
          'CVE-2000-0001',
        ]);
      });
      expect(
        [...found].map(([alias, given]) => [alias, given.map((s) => [s.id, s.severity.severity])]),
      ).toEqual([
        ['CVE-2022-25883', [['GHSA-c2qf-rxjj-qqgw', 'HIGH']]],
        ['GHSA-jfh8-c2jp-5v3q', [['GHSA-jfh8-c2jp-5v3q', 'CRITICAL']]],
      ]);
    });

    it('leaves out the records that give no severity', async () => {
      const found = await withStore(async (store) => {
        await importOsv(store, [join(OSV, 'valid')]);
        return store.severitiesByAlias(['CVE-2023-5363', 'CVE-2024-2511']);
      });
      expect(found.size).toBe(0);
    });
  });

  describe('dataVersion', () => {
    it('counts advisories per ecosystem key', async () => {
      const version = await withStore(async (store) => {
        await importOsv(store, [join(OSV, 'valid')]);
        return store.dataVersion();
      });
      expect(version.ecosystems).toEqual({
        'Alpine:3.19': 1,
        'Alpine:3.20': 1,
        'Debian:12': 2,
        Go: 1,
        Maven: 1,
        Packagist: 1,
        PyPI: 1,
        RubyGems: 1,
        npm: 1,
      });
      expect(version.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    });
  });

  describe('failures', () => {
    it('fails with a clear message when there is no store yet', () => {
      expect(() => LocalStore.open(join(dir(), 'none'))).toThrow(
        expect.objectContaining({ code: 'VULNDB_MISSING' }) as VulnDbError,
      );
    });

    it('fails on a path that does not exist, writing nothing', async () => {
      await withStore(async (store) => {
        await expect(
          importOsv(store, [join(OSV, 'valid'), join(dir(), 'missing.zip')]),
        ).rejects.toThrow(/cannot read .*missing\.zip/);
        expect((await store.dataVersion()).records).toBe(0);
      });
    });

    it('fails on a file that is not a zip', async () => {
      const fake = join(dir(), 'fake.zip');
      writeFileSync(fake, 'PK not really');
      await withStore((store) =>
        expect(importOsv(store, [fake])).rejects.toThrow(/is not a readable zip/),
      );
    });
  });
});
