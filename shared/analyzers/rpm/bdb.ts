import { byteReader, type BlobsRead, type ByteReader } from './blobs';
import { messageOf } from '../../core';

// Berkeley DB hash database layout (db-5.3 dbinc/db_page.h), as rpm ≤ 4.15 wrote `Packages`.
/** DBMETA: magic at 12, page size at 20, encryption at 24, page type at 25, last page at 32. */
const META_MAGIC = 12;
const META_PAGE_SIZE = 20;
const META_ENCRYPT = 24;
const META_LAST_PGNO = 32;
const HASH_MAGIC = 0x061561;
/** PAGE header: its own number at 8, next page at 16, entry count at 20, free-area offset at 22, type at 25. */
const PAGE_PGNO = 8;
const PAGE_NEXT_PGNO = 16;
const PAGE_ENTRIES = 20;
const PAGE_HF_OFFSET = 22;
const PAGE_TYPE = 25;
const PAGE_HEADER_BYTES = 26;
const P_HASH_UNSORTED = 2;
const P_OVERFLOW = 7;
const P_HASHMETA = 8;
const P_HASH = 13;
/** The highest page type db-5.3 writes (P_IHEAP); a page claiming a higher one is not one. */
const P_LAST_TYPE = 16;
/** Hash item types: data inline, or on a chain of overflow pages (HOFFPAGE: pgno at 4, tlen at 8). */
const H_KEYDATA = 1;
const H_OFFPAGE = 3;
const MIN_PAGE_SIZE = 512;
const MAX_PAGE_SIZE = 65536;

/**
 * The values of an rpm `Packages` Berkeley DB hash database (RHEL 7/8, CentOS, Amazon Linux 2):
 * one header blob per package, keyed by header number. Either byte order. A bad meta page
 * yields no blobs; a bad hash or overflow page is skipped with a problem.
 */
export function bdbBlobs(bytes: Buffer): BlobsRead {
  const meta = metaOf(bytes);
  if (typeof meta === 'string') return { blobs: [], problems: [meta] };
  const { read, pageSize, lastPgno } = meta;
  const blobs: Buffer[] = [];
  const problems: string[] = [];
  const pages = Math.min(lastPgno + 1, Math.floor(read.length / pageSize));
  if (pages < lastPgno + 1)
    problems.push(`bdb: expected ${lastPgno + 1} pages, got ${pages}: the file is cut short`);
  const foreign: number[] = [];
  for (let pgno = 1; pgno < pages; pgno++) {
    if (!isPage(read, pageSize, pgno)) {
      foreign.push(pgno);
      continue;
    }
    try {
      blobs.push(...hashPageValues(read, pageSize, pgno));
    } catch (error) {
      problems.push(`bdb: page ${pgno}: ${messageOf(error)}`);
    }
  }
  if (foreign.length > 0)
    problems.push(
      `bdb: ${foreign.length} of ${pages - 1} pages are not Berkeley DB pages (first: page ${foreign[0]}): packages on them are missing`,
    );
  return { blobs, problems };
}

/**
 * Whether page `pgno` is one Berkeley DB wrote: a page type it knows, and, unless the page was
 * never used (all zero: P_INVALID), its own number in its header. Damage, or bytes that were
 * never a database, fail this; skipping such a page silently would hide its packages.
 */
function isPage(read: ByteReader, pageSize: number, pgno: number): boolean {
  const page = pgno * pageSize;
  const type = read.u8(page + PAGE_TYPE);
  if (type > P_LAST_TYPE) return false;
  return type === 0 || read.u32(page + PAGE_PGNO) === pgno;
}

interface Meta {
  readonly read: ByteReader;
  readonly pageSize: number;
  readonly lastPgno: number;
}

function metaOf(bytes: Buffer): Meta | string {
  if (bytes.length < MIN_PAGE_SIZE) return `bdb: expected a meta page, got ${bytes.length} bytes`;
  const read = [true, false]
    .map((littleEndian) => byteReader(bytes, littleEndian))
    .find((r) => r.u32(META_MAGIC) === HASH_MAGIC);
  if (read === undefined) return 'bdb: not a Berkeley DB hash database (bad magic)';
  const pageSize = read.u32(META_PAGE_SIZE);
  if (pageSize < MIN_PAGE_SIZE || pageSize > MAX_PAGE_SIZE || read.u8(PAGE_TYPE) !== P_HASHMETA)
    return `bdb: bad meta page (page size ${pageSize}, type ${read.u8(PAGE_TYPE)})`;
  if (read.u8(META_ENCRYPT) !== 0) return 'bdb: the database is encrypted';
  return { read, pageSize, lastPgno: read.u32(META_LAST_PGNO) };
}

/** Values of one hash page's key/value pairs; other page types have none. */
function hashPageValues(read: ByteReader, pageSize: number, pgno: number): Buffer[] {
  const page = pgno * pageSize;
  const type = read.u8(page + PAGE_TYPE);
  if (type !== P_HASH && type !== P_HASH_UNSORTED) return [];
  const entries = read.u16(page + PAGE_ENTRIES);
  const offsetOf = (i: number) => read.u16(page + PAGE_HEADER_BYTES + 2 * i);
  const values: Buffer[] = [];
  for (let value = 1; value < entries; value += 2) {
    const [keyAt, valueAt] = [offsetOf(value - 1), offsetOf(value)];
    // rpm keeps a bookkeeping record under header number 0; it is not a header.
    if (read.slice(page + keyAt + 1, page + keyAt + 5).every((b) => b === 0)) continue;
    values.push(itemValue(read, pageSize, { page, at: valueAt, end: keyAt }));
  }
  return values;
}

/** An item at `page + at`, ending where the previous item (`end`) begins. */
function itemValue(
  read: ByteReader,
  pageSize: number,
  item: { page: number; at: number; end: number },
): Buffer {
  const at = item.page + item.at;
  const type = read.u8(at);
  if (type === H_KEYDATA) return read.slice(at + 1, item.page + item.end);
  if (type === H_OFFPAGE) return overflowChain(read, pageSize, read.u32(at + 4), read.u32(at + 8));
  throw new RangeError(`unexpected hash item type ${type} at ${item.at}`);
}

function overflowChain(read: ByteReader, pageSize: number, first: number, length: number): Buffer {
  const parts: Buffer[] = [];
  let total = 0;
  const seen = new Set<number>();
  for (let pgno = first; pgno !== 0 && total < length;) {
    if (seen.has(pgno)) throw new RangeError(`overflow chain loops at page ${pgno}`);
    seen.add(pgno);
    const page = pgno * pageSize;
    if (read.u8(page + PAGE_TYPE) !== P_OVERFLOW)
      throw new RangeError(`overflow page ${pgno} has type ${read.u8(page + PAGE_TYPE)}`);
    const used = read.u16(page + PAGE_HF_OFFSET);
    if (used > pageSize - PAGE_HEADER_BYTES)
      throw new RangeError(`overflow page ${pgno} claims ${used} bytes`);
    parts.push(read.slice(page + PAGE_HEADER_BYTES, page + PAGE_HEADER_BYTES + used));
    total += used;
    pgno = read.u32(page + PAGE_NEXT_PGNO);
  }
  if (total !== length)
    throw new RangeError(`overflow value: expected ${length} bytes, got ${total}`);
  return Buffer.concat(parts);
}
