import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importOsv, type ImportReport } from '../../shared/vulndb/import';
import { LocalStore } from '../../shared/vulndb/local-store';
import { ALAS_FIXTURES } from '../support/alas-mirror';
import { zipOf, deflatedZeros, type ZipEntry } from '../support/hostile/zip';
import { rejection } from '../support/read';
import { useTempDir } from '../support/temp';

const MiB = 1024 * 1024;

/** A valid OSV record named `id`, as a zip entry `name`. */
function record(name: string, id = name.replace(/\W/g, '-')): ZipEntry {
  const json = {
    schema_version: '1.6.0',
    id,
    modified: '2026-01-01T00:00:00Z',
    affected: [
      {
        package: { ecosystem: 'Debian:12', name: 'openssl' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.15-1' }] }],
      },
    ],
  };
  return { name, data: Buffer.from(JSON.stringify(json)) };
}

describe('importOsv', () => {
  const dir = useTempDir();

  async function importZip(entries: readonly ZipEntry[] | Buffer): Promise<ImportReport> {
    const zip = join(dir(), 'all.zip');
    writeFileSync(zip, Buffer.isBuffer(entries) ? entries : zipOf(entries));
    const store = LocalStore.open(join(dir(), 'db'), { create: true });
    try {
      return await importOsv(store, [zip]);
    } finally {
      store.close();
    }
  }

  /** Each malformed entry's reason, by its name in the zip. */
  const reasons = (report: ImportReport): Record<string, string> =>
    Object.fromEntries(report.problems.map((p) => [p.source.split('!/')[1]!, p.reason]));

  describe('when an export has entries with unsafe names', () => {
    it('skips and counts each as malformed, imports the rest, and writes nothing anywhere', async () => {
      const report = await importZip([
        record('../../escape.json'),
        record('/abs/evil.json'),
        record('C:/windows/evil.json'),
        record('nul\0.json', 'NUL-1'),
        record('ok.json'),
      ]);
      expect(report).toMatchObject({ read: 5, inserted: 1, malformed: 4 });
      expect(reasons(report)).toEqual({
        '../../escape.json': 'unsafe entry name: invalid relative path',
        '/abs/evil.json': 'unsafe entry name: absolute path',
        'C:/windows/evil.json': 'unsafe entry name: absolute path',
        'nul\\x00.json': 'unsafe entry name: a NUL byte',
      });
      expect(existsSync(join(dir(), '..', 'escape.json'))).toBe(false);
    });
  });

  describe('when an entry is a zip bomb', () => {
    it('skips one that declares more than a record may be, without inflating it', async () => {
      const bomb = { name: 'bomb.json', deflated: await deflatedZeros(64 * MiB) };
      const report = await importZip([record('ok.json'), bomb]);
      expect(report).toMatchObject({ inserted: 1, malformed: 1 });
      expect(reasons(report)['bomb.json']).toMatch(/^larger than \d+ bytes/);
    });

    it('skips one that declares a ratio no record reaches', async () => {
      const bomb = { name: 'bomb.json', deflated: await deflatedZeros(8 * MiB) };
      const report = await importZip([bomb, record('ok.json')]);
      expect(reasons(report)['bomb.json']).toMatch(/inflates \d+ bytes to 8388608: a zip bomb/);
    });

    it('stops inflating one that lies about its size at the size it declares', async () => {
      const bomb = {
        name: 'bomb.json',
        deflated: await deflatedZeros(64 * MiB),
        claimedSize: 100_000,
      };
      const before = process.memoryUsage().rss;
      const report = await importZip([bomb, record('ok.json')]);
      expect(reasons(report)['bomb.json']).toMatch(/does not inflate to its 100000 bytes/);
      expect(report.inserted).toBe(1);
      expect(process.memoryUsage().rss - before).toBeLessThan(32 * MiB);
    });
  });

  describe('when an entry is stored, not deflated', () => {
    it('reads it as it is', async () => {
      const { name, data } = record('stored.json');
      const report = await importZip([{ name, data: data!, stored: true }, record('ok.json')]);
      expect(report).toMatchObject({ read: 2, inserted: 2, malformed: 0 });
    });
  });

  describe('when an entry name holds control characters or backslashes', () => {
    it('reads it, never printing a control character', async () => {
      const report = await importZip([
        record('bell\u0007.json', 'BELL-1'),
        record('dir\\win.json', 'WIN-1'),
        { name: 'esc\u001b[31m.json', data: Buffer.from('{}') },
      ]);
      expect(report).toMatchObject({ read: 3, inserted: 2, malformed: 1 });
      // Without the UTF-8 flag a name is CP437, where byte 0x1b is a printable arrow.
      expect(report.problems[0]!.source).toMatch(/esc←\[31m\.json$/);
      expect(report.problems[0]!.source).not.toContain('\u001b');
    });
  });

  describe('when an export has many tiny entries', () => {
    it('counts every malformed one and lists the first hundred', async () => {
      const entries = Array.from({ length: 10_000 }, (_, i) => ({
        name: `E-${i}.json`,
        data: Buffer.from('{}'),
      }));
      const report = await importZip(entries);
      expect(report).toMatchObject({ read: 10_000, malformed: 10_000 });
      expect(report.problems).toHaveLength(100);
    });
  });

  describe('failures', () => {
    it('fails when the export is cut short, importing nothing', async () => {
      const zip = zipOf([record('a.json'), record('b.json'), record('c.json')]);
      const error = await rejection(importZip(zip.subarray(0, Math.floor(zip.length * 0.6))));
      expect(error).toMatchObject({ code: 'VULNDB_SOURCE_UNREADABLE' });
      expect(error.message).toMatch(/all\.zip is not a readable zip/);
    });

    it('fails when the central directory is damaged', async () => {
      const zip = zipOf([record('a.json'), record('b.json')]);
      const second = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      zip.writeUInt32LE(0xdeadbeef, second);
      const error = await rejection(importZip(zip));
      expect(error).toMatchObject({ code: 'VULNDB_SOURCE_UNREADABLE' });
      expect(error.message).toMatch(/all\.zip is a damaged zip: invalid central directory/);
    });

    it('fails when the file is not a zip at all', async () => {
      const error = await rejection(importZip(Buffer.from('not a zip '.repeat(1000))));
      expect(error).toMatchObject({ code: 'VULNDB_SOURCE_UNREADABLE' });
    });

    it('counts an entry whose local header is damaged, and imports the rest', async () => {
      const zip = zipOf([record('a.json'), record('b.json')]);
      zip.writeUInt32LE(0xdeadbeef, 0);
      const report = await importZip(zip);
      expect(report).toMatchObject({ inserted: 1, malformed: 1 });
      expect(reasons(report)['a.json']).toMatch(/cannot be read: invalid local file header/);
    });
  });
});

describe('importOsv of Amazon Linux updateinfo files', () => {
  const dir = useTempDir();
  const alas = (name: string) => join(ALAS_FIXTURES, name);

  async function importPaths(paths: readonly string[]) {
    const store = LocalStore.open(join(dir(), 'db'), { create: true });
    try {
      const report = await importOsv(store, paths);
      return { report, version: await store.dataVersion(), store };
    } catch (error) {
      store.close();
      throw error;
    }
  }

  describe('when files of both arches are imported together', () => {
    it("merges each advisory's copies into one record with every package", async () => {
      const { report, version, store } = await importPaths([
        alas('al2023-x86_64-updateinfo.xml'),
        alas('al2023-aarch64-updateinfo.xml'),
      ]);
      const found = await store.advisoriesFor([
        { ecosystem: 'Amazon Linux:2023', name: 'openssl-perl' },
        { ecosystem: 'Amazon Linux:2023', name: 'openssl-libs' },
      ]);
      store.close();
      expect(report).toMatchObject({ read: 3, inserted: 3, unchanged: 0, malformed: 0 });
      expect(version.ecosystems).toEqual({ 'Amazon Linux:2023': 3 });
      expect(found.get('Amazon Linux:2023\0openssl-perl')!.map((a) => a.id)).toEqual([
        'ALAS2023-2024-470',
      ]);
      const libs = found.get('Amazon Linux:2023\0openssl-libs')![0]!;
      expect(libs.aliases).toEqual(['CVE-2023-5678', 'CVE-2023-6129']);
      expect(libs.entries[0]).toMatchObject({
        ranges: [{ events: [{ version: '0' }, { version: '1:3.0.8-1.amzn2023.0.12' }] }],
        severity: { severity: 'HIGH', vendor: 'amazon', vendorSeverity: 'important' },
      });
    });
  });

  describe('when files are told by content', () => {
    it('reads gzip and XML whatever their names, beside OSV records, and in directories', async () => {
      const tree = join(dir(), 'tree');
      mkdirSync(join(tree, 'sub'), { recursive: true });
      copyFileSync(alas('al2-core-updateinfo.xml.gz'), join(tree, 'sub', 'e6f5-core'));
      copyFileSync(alas('al2-extras-kernel-5.10-updateinfo.xml'), join(tree, 'kernel.data'));
      writeFileSync(join(tree, 'README.md'), '# not an advisory, not read');
      const renamed = join(dir(), 'updateinfo.json');
      copyFileSync(alas('al2023-x86_64-updateinfo.xml'), renamed);
      const { report, version, store } = await importPaths([tree, renamed]);
      store.close();
      expect(version.ecosystems).toEqual({ 'Amazon Linux:2': 4, 'Amazon Linux:2023': 3 });
      expect(report).toMatchObject({ read: 8, inserted: 7, malformed: 1 });
      // The bare id of an extras topic cannot be placed without its repository (db update has it).
      expect(report.problems).toEqual([
        {
          source: `${join(tree, 'kernel.data')}!/ALAS-2022-002`,
          reason:
            "ALAS-2022-002: not an Amazon Linux 2 or 2023 advisory id, and the file's repository is not known",
        },
      ]);
    });

    it('reads a file whose repository is known with that repository', async () => {
      const store = LocalStore.open(join(dir(), 'db'), { create: true });
      const report = await importOsv(store, [
        {
          path: alas('al2-extras-kernel-5.10-updateinfo.xml'),
          alas: { release: '2', topic: 'kernel-5.10' },
        },
      ]);
      const found = await store.advisoriesFor([{ ecosystem: 'Amazon Linux:2', name: 'perf' }]);
      store.close();
      expect(report).toMatchObject({ read: 2, inserted: 2, malformed: 0 });
      expect(found.get('Amazon Linux:2\0perf')![0]).toMatchObject({
        id: 'ALASKERNEL-5.10-2022-002',
        entries: [
          { ranges: [{ events: [{ version: '5.10' }, { version: '5.10.93-54.144.amzn2' }] }] },
        ],
      });
    });
  });

  describe('when updates are malformed', () => {
    it('skips, counts and lists each, and the cut, importing the good ones', async () => {
      const path = alas('malformed-updateinfo.xml');
      const { report, store } = await importPaths([path]);
      store.close();
      expect(report).toMatchObject({ read: 8, inserted: 1, malformed: 7 });
      expect(report.problems.map((p) => p.source.slice(path.length))).toEqual([
        '!/update[1]',
        '!/ALAS2023-2024-901',
        '!/ALAS2023-2024-902',
        '!/ALAS2023-2024-903',
        '!/ALAS2023-2024-904',
        '!/ALAS2023-2024-906',
        '',
      ]);
      expect(report.problems.at(-1)!.reason).toBe('the document is cut short');
    });
  });

  describe('when the same file is imported again', () => {
    it('finds every record unchanged', async () => {
      const paths = [alas('al2-core-updateinfo.xml.gz')];
      (await importPaths(paths)).store.close();
      const { report, store } = await importPaths(paths);
      store.close();
      expect(report).toMatchObject({ read: 3, inserted: 0, unchanged: 3 });
    });
  });
});
