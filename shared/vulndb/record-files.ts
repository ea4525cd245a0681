/**
 * Reading the records an import is given: OSV exports (`all.zip`, entry by entry, never
 * unpacked), directories (recursively), single `.json` files, and Amazon Linux updateinfo files
 * (told by content). Each record's bytes, bounded, or why they are unusable, go to `take`;
 * ALAS reads go to `alas`. A path that cannot be read at all throws VulnDbError.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import type { Entry, ZipFile } from 'yauzl';
import { messageOf } from '../core';
import { readUpdateinfo, sniffUpdateinfo, type AlasRead, type AlasSource } from './alas';
import { VulnDbError } from './errors';
import { entryName, openZip } from './zip-reader';

/**
 * What an import reads: a path, or an Amazon Linux updateinfo file whose repository is known
 * (as `clearance db update` fetched it).
 */
export type ImportSource = string | AlasSource;

/** No real OSV record comes near this; a larger entry is malformed, not read into memory. */
const MAX_RECORD_BYTES = 16 * 1024 * 1024;
/**
 * Uncompressed ÷ compressed bytes past which an entry is a bomb, not a record: deflate tops out
 * near 1032:1 on zeros, OSV's JSON records compress some 5–20:1.
 */
const MAX_RECORD_RATIO = 200;
/** What was read of one record: its bytes, or why they are unusable (a malformed record). */
export type Read = Buffer | { readonly reason: string };
export type Take = (source: string, read: Read) => void | Promise<void>;
export type TakeAlas = (read: AlasRead) => Promise<void>;

const TOO_LARGE = { reason: `larger than ${MAX_RECORD_BYTES} bytes` };

export async function readSource(source: ImportSource, take: Take, alas: TakeAlas): Promise<void> {
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
