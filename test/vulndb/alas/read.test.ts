import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { createGzip, gzipSync } from 'node:zlib';
import { readUpdateinfo, sniffUpdateinfo, type AlasRead } from '../../../shared/vulndb/alas';
import { ALAS_FIXTURES } from '../../support/alas-mirror';
import { rejection } from '../../support/read';
import { useTempDir } from '../../support/temp';

const MiB = 1024 * 1024;

async function readAll(path: string): Promise<AlasRead[]> {
  const reads: AlasRead[] = [];
  await readUpdateinfo(path, undefined, (read) => void reads.push(read));
  return reads;
}

const ids = (reads: readonly AlasRead[]) =>
  reads.flatMap((r) => ('record' in r ? [r.record.id] : []));

describe('sniffUpdateinfo', () => {
  const dir = useTempDir();

  it.each([
    ['gzip data', gzipSync('<updates/>'), 'gzip'],
    ['XML', Buffer.from('<?xml version="1.0" ?>\n<updates/>'), 'xml'],
    ['XML after a byte-order mark and blank lines', Buffer.from('\uFEFF\n\n  <updates/>'), 'xml'],
    ['an OSV record', Buffer.from('{"id": "GHSA-1"}'), undefined],
    ['an empty file', Buffer.alloc(0), undefined],
  ])('tells %s by its first bytes, whatever the name', async (_, bytes, kind) => {
    const path = join(dir(), 'all.json');
    writeFileSync(path, bytes);
    expect(await sniffUpdateinfo(path)).toBe(kind);
  });
});

describe('readUpdateinfo', () => {
  const dir = useTempDir();

  describe('when a file is gzip-compressed', () => {
    it('reads the same records as its XML', async () => {
      const xml = join(ALAS_FIXTURES, 'al2023-x86_64-updateinfo.xml');
      const gz = join(dir(), 'renamed.bin');
      writeFileSync(gz, gzipSync(readFileSync(xml)));
      const plain = await readAll(xml);
      expect(ids(plain)).toEqual(['ALAS2023-2024-470', 'ALAS2023-2024-481', 'ALAS2023-2024-512']);
      expect((await readAll(gz)).map((r) => ('record' in r ? r.record : r))).toEqual(
        plain.map((r) => ('record' in r ? r.record : r)),
      );
    });

    it('keeps what was read before a cut in the gzip data, and says where the file ends', async () => {
      const xml = readFileSync(join(ALAS_FIXTURES, 'al2023-x86_64-updateinfo.xml'), 'utf8');
      // Stored, not deflated: the cut falls where it falls in the XML, just past the second update.
      const gz = gzipSync(xml, { level: 0 });
      const cut = xml.indexOf('</update>', xml.indexOf('ALAS2023-2024-481')) + 100;
      const path = join(dir(), 'cut.xml.gz');
      writeFileSync(path, gz.subarray(0, cut));
      const reads = await readAll(path);
      expect(ids(reads)).toEqual(['ALAS2023-2024-470', 'ALAS2023-2024-481']);
      expect(reads.at(-1)).toEqual({
        source: path,
        reason: 'the gzip data cannot be read on: unexpected end of file',
      });
    });
  });

  describe('when a file is large', () => {
    it('streams it in bounded memory: 100 MB of XML, one update at a time', async () => {
      const path = join(dir(), 'large.xml.gz');
      const gzip = createGzip();
      const out = gzip.pipe(createWriteStream(path));
      gzip.write('<?xml version="1.0" ?>\n<updates>\n');
      const description = 'CVE-2024-0001:\n\tA long description. '.repeat(100);
      let written = 0;
      for (let i = 0; written < 100 * MiB; i++) {
        const chunk = `<update type="security"><id>ALAS2-2024-${i}</id><issued date="2024-01-01 00:00"/><description>${description}</description><pkglist><collection><package name="p${i % 50}" epoch="0" version="1.${i}" release="1.amzn2" arch="x86_64"/></collection></pkglist></update>\n`;
        written += chunk.length;
        if (!gzip.write(chunk)) await once(gzip, 'drain');
      }
      gzip.end('</updates>\n');
      await once(out, 'close');
      global.gc?.();
      const before = process.memoryUsage().rss;
      let peak = before;
      let records = 0;
      await readUpdateinfo(path, undefined, (read) => {
        if ('record' in read) records++;
        if (records % 2000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
      });
      expect(records).toBeGreaterThan(25_000);
      expect(peak - before).toBeLessThan(64 * MiB);
    }, 60_000);
  });

  describe('failures', () => {
    it('fails when the file cannot be opened', async () => {
      const error = await rejection(readAll(join(dir(), 'missing.xml')));
      expect(error).toMatchObject({ code: 'VULNDB_SOURCE_UNREADABLE' });
      expect(error.message).toMatch(/^cannot read .*missing\.xml: ENOENT/);
    });

    it('reads a gzip file holding something else as one problem', async () => {
      const path = join(dir(), 'records.json.gz');
      writeFileSync(path, gzipSync('{"id": "GHSA-1"}'));
      expect(await readAll(path)).toEqual([
        {
          source: path,
          reason: expect.stringMatching(
            /^XML error: 1:\d+: text data outside of root node/,
          ) as unknown,
        },
      ]);
    });
  });
});
