import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import type { Entry, ZipFile } from 'yauzl';
import { parseJson } from '../analyzers/json-file';
import { messageOf } from '../core/errors';
import { parseOsvRecord, type OsvRecord } from '../osv/record';
import {
  AlasMerger,
  readUpdateinfo,
  sniffUpdateinfo,
  type AlasRead,
  type AlasSource,
} from './alas';
import { VulnDbError } from './errors';
import type { LocalStore, UpsertOutcome } from './local-store';
import { entryName, openZip } from './zip-reader';

/** No real OSV record comes near this; a larger entry is malformed, not read into memory. */
const MAX_RECORD_BYTES = 16 * 1024 * 1024;
/**
 * Uncompressed ÷ compressed bytes past which an entry is a bomb, not a record: deflate tops out
 * near 1032:1 on zeros, OSV's JSON records compress some 5–20:1.
 */
const MAX_RECORD_RATIO = 200;
/** Malformed records listed one by one in the report; the rest are counted. */
const LISTED_PROBLEMS = 100;

/** What an import did. Malformed records are skipped and counted; they never abort it. */
export interface ImportReport {
  readonly read: number;
  readonly inserted: number;
  readonly updated: number;
  /** Records whose `modified` is not newer than the stored copy. */
  readonly unchanged: number;
  readonly malformed: number;
  /** GIT ranges skipped (commit ranges cannot match an image's packages). */
  readonly gitRanges: number;
  /** The first malformed records: where, and why. */
  readonly problems: readonly { readonly source: string; readonly reason: string }[];
}

type Counts = { -readonly [K in keyof Omit<ImportReport, 'problems'>]: number } & {
  problems: { source: string; reason: string }[];
};

/**
 * What an import reads: a path, or an Amazon Linux updateinfo file whose repository is known
 * (as `clearance db update` fetched it).
 */
export type ImportSource = string | AlasSource;

/**
 * Imports OSV records into the store, in one transaction: from ecosystem exports (`all.zip`,
 * read entry by entry, never unpacked), directories of `.json` files (recursively) or single
 * files, and Amazon Linux `updateinfo.xml` / `.xml.gz` files (told by content, streamed, each
 * update an OSV record; see shared/vulndb/alas). A path that cannot be read at all fails the
 * import with nothing written.
 */
export async function importOsv(
  store: LocalStore,
  paths: readonly ImportSource[],
  options: { readonly now?: Date } = {},
): Promise<ImportReport> {
  const counts: Counts = {
    read: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    malformed: 0,
    gitRanges: 0,
    problems: [],
  };
  await store.transaction(
    (add) => readOsv(paths, (read) => record(counts, add, read)),
    options.now,
  );
  return counts;
}

/** One record as {@link readOsv} hands it on: parsed, or why it is malformed. */
export type OsvRead =
  | {
      readonly source: string;
      readonly record: OsvRecord;
      /** GIT ranges the parser skipped. */
      readonly gitRanges: number;
    }
  | { readonly source: string; readonly reason: string };

/**
 * Reads the OSV records of exports (`all.zip`), directories and files, as {@link importOsv}
 * does, handing each to `take` in order and waiting for it (so a slow store holds the reading
 * back). A path that cannot be read at all fails the read. Amazon Linux advisories come last:
 * the copies of one ALAS id in several files (each arch's repository) are merged first, so
 * that the store, which keeps one copy per id and `modified`, gets all their packages.
 */
export async function readOsv(
  paths: readonly ImportSource[],
  take: (read: OsvRead) => void | Promise<void>,
): Promise<void> {
  const parse: Take = (source, read) => take(parsed(source, read));
  const merger = new AlasMerger();
  const alas: TakeAlas = async (read) => {
    if ('record' in read) merger.add(read.record);
    else await take(read);
  };
  for (const path of paths) await readSource(path, parse, alas);
  for (const record of merger.take()) await take({ source: record.id, record, gitRanges: 0 });
}

/** What was read of one record: its bytes, or why they are unusable (a malformed record). */
type Read = Buffer | { readonly reason: string };
type Take = (source: string, read: Read) => void | Promise<void>;
type TakeAlas = (read: AlasRead) => Promise<void>;

const TOO_LARGE = { reason: `larger than ${MAX_RECORD_BYTES} bytes` };

async function readSource(source: ImportSource, take: Take, alas: TakeAlas): Promise<void> {
  const path = typeof source === 'string' ? source : source.path;
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new VulnDbError('VULNDB_SOURCE_UNREADABLE', `cannot read ${path}: ${messageOf(error)}`);
  }
  if (info.isDirectory()) await readDirectory(path, take, alas);
  else if (typeof source !== 'string') await readUpdateinfo(path, source.alas, alas);
  else if (path.endsWith('.zip')) await readZip(path, take);
  else if ((await sniffUpdateinfo(path)) !== undefined) await readUpdateinfo(path, undefined, alas);
  else await take(path, await readBounded(createReadStream(path), path));
}

/** `.json` files as records; other files only when they hold an updateinfo document. */
async function readDirectory(dir: string, take: Take, alas: TakeAlas): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await readDirectory(path, take, alas);
    else if (entry.name.endsWith('.json'))
      await take(path, await readBounded(createReadStream(path), path));
    else if (entry.isFile() && (await sniffUpdateinfo(path)) !== undefined)
      await readUpdateinfo(path, undefined, alas);
  }
}

/**
 * Every `.json` entry of an export, in order. An entry that cannot be used (an unsafe name,
 * too large, a bomb, damaged data) is a malformed record; an archive whose directory cannot be
 * read fails the import. Entries are never written anywhere, whatever their names.
 */
async function readZip(path: string, take: Take): Promise<void> {
  const zip = await openZip(path).catch((error: unknown) => {
    throw new VulnDbError(
      'VULNDB_SOURCE_UNREADABLE',
      `${path} is not a readable zip: ${messageOf(error)}`,
    );
  });
  try {
    for await (const entry of entriesOf(zip, path)) {
      const { name, unsafe } = entryName(entry);
      const source = `${path}!/${name}`;
      if (unsafe !== undefined) await take(source, { reason: unsafe });
      else if (name.endsWith('.json')) await take(source, await readEntry(zip, entry, source));
    }
  } finally {
    zip.close();
  }
}

/** The entries of the central directory; a damaged one fails the read as a VulnDbError. */
async function* entriesOf(zip: ZipFile, path: string): AsyncGenerator<Entry> {
  try {
    for await (const entry of zip.eachEntry()) yield entry;
  } catch (error) {
    throw new VulnDbError(
      'VULNDB_SOURCE_UNREADABLE',
      `${path} is a damaged zip: ${messageOf(error)}`,
      { cause: error },
    );
  }
}

/**
 * One entry's bytes, CRC-checked. Records are a few KiB: their compressed bytes are read and
 * inflated synchronously, which is several times faster than a stream per entry. Inflating
 * stops at the size the entry declares, so an entry that lies about it costs no more than one
 * that tells the truth; one that declares a ratio no JSON reaches is not inflated at all.
 */
async function readEntry(zip: ZipFile, entry: Entry, source: string): Promise<Read> {
  if (entry.uncompressedSize > MAX_RECORD_BYTES || entry.compressedSize > MAX_RECORD_BYTES)
    return TOO_LARGE;
  if (entry.uncompressedSize > MAX_RECORD_RATIO * Math.max(entry.compressedSize, 1))
    return {
      reason: `inflates ${entry.compressedSize} bytes to ${entry.uncompressedSize}: a zip bomb`,
    };
  let raw: Read;
  try {
    // yauzl refuses `decompress` for a stored entry, whose bytes are the record already.
    const options = entry.isCompressed() ? { decompress: false } : {};
    raw = await readBounded(await zip.openReadStreamPromise(entry, options), source);
  } catch (error) {
    return { reason: `the zip entry cannot be read: ${messageOf(error)}` };
  }
  if (!Buffer.isBuffer(raw)) return raw;
  let bytes: Buffer;
  try {
    bytes =
      entry.compressionMethod === 8
        ? inflateRawSync(raw, { maxOutputLength: Math.max(entry.uncompressedSize, 1) })
        : raw;
  } catch (error) {
    return {
      reason: `the zip entry does not inflate to its ${entry.uncompressedSize} bytes: ${messageOf(error)}`,
    };
  }
  if (crc32(bytes) !== entry.crc32 || bytes.length !== entry.uncompressedSize)
    return { reason: 'the zip entry does not match its CRC-32 and size' };
  return bytes;
}

/** The whole stream, or a reason (a malformed record) past the bound. */
async function readBounded(stream: AsyncIterable<unknown>, source: string): Promise<Read> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > MAX_RECORD_BYTES) return TOO_LARGE;
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    throw new VulnDbError('VULNDB_SOURCE_UNREADABLE', `cannot read ${source}: ${messageOf(error)}`);
  }
  return Buffer.concat(chunks);
}

function parsed(source: string, read: Read): OsvRead {
  const json = Buffer.isBuffer(read) ? parseJson(read) : read;
  const result = 'reason' in json ? json : parseOsvRecord(json.value);
  return 'reason' in result
    ? { source, reason: result.reason }
    : { source, record: result.record, gitRanges: result.gitRanges };
}

function record(counts: Counts, add: (record: OsvRecord) => UpsertOutcome, read: OsvRead): void {
  counts.read++;
  if ('reason' in read) {
    counts.malformed++;
    if (counts.problems.length < LISTED_PROBLEMS)
      counts.problems.push({ source: read.source, reason: read.reason });
    return;
  }
  counts.gitRanges += read.gitRanges;
  counts[add(read.record)]++;
}
