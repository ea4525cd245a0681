import { open, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { messageOf } from '../../core';
import type { OsvRecord } from '../../osv';
import { VulnDbError } from '../errors';
import type { AlasContext } from './context';
import { alasRecord } from './record';
import { UpdateinfoReader, type UpdateinfoEvent } from './updateinfo';

/** How an updateinfo file is stored, told from its first bytes (never from its name). */
export type UpdateinfoEncoding = 'gzip' | 'xml';

/** One advisory read from an updateinfo file, or why an update (or the file's rest) is unusable. */
export type AlasRead =
  | { readonly source: string; readonly record: OsvRecord }
  | { readonly source: string; readonly reason: string };

const GZIP_MAGIC = [0x1f, 0x8b];
const HEAD_BYTES = 512;
const CHUNK = 1 << 20;
/** Uncompressed bytes past which a file is not an updateinfo (the largest, AL2's, is ~100 MB). */
const MAX_XML_BYTES = 2 * 1024 * 1024 * 1024;

/**
 * Whether `path` holds an updateinfo document, by its first bytes: gzip (`1f 8b`), or text whose
 * first character (after a byte-order mark and blanks) is `<`. Undefined for anything else (an
 * OSV record's `{`). What a gzip file holds is found out by reading it.
 */
export async function sniffUpdateinfo(path: string): Promise<UpdateinfoEncoding | undefined> {
  const head = await withFile(path, async (file) => {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await file.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  });
  if (head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) return 'gzip';
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  return text.startsWith('<') ? 'xml' : undefined;
}

/**
 * Streams one `updateinfo.xml` or `updateinfo.xml.gz` (by content), handing each advisory to
 * `take` as an OSV record, in file order, waiting for it. Memory stays bounded by one update,
 * whatever the file's size. Updates that cannot be used, XML errors and a damaged or cut-short
 * file are reasons handed to `take` too (a cut file keeps what was read before the cut). A file
 * that cannot be opened fails with a VulnDbError.
 */
export async function readUpdateinfo(
  path: string,
  context: AlasContext | undefined,
  take: (read: AlasRead) => void | Promise<void>,
): Promise<void> {
  const encoding = await sniffUpdateinfo(path);
  const reader = new UpdateinfoReader();
  const handle = async (event: UpdateinfoEvent): Promise<void> => {
    const read = readOf(path, context, event);
    if (read !== undefined) await take(read);
  };
  await withFile(path, async (file) => {
    const consume = async (source: AsyncIterable<Buffer>): Promise<void> => {
      const decoder = new StringDecoder('utf8');
      let bytes = 0;
      for await (const chunk of source) {
        bytes += chunk.length;
        if (bytes > MAX_XML_BYTES) reader.abort(`larger than ${MAX_XML_BYTES} bytes of XML`);
        else reader.write(decoder.write(chunk));
        for (const event of reader.drain()) await handle(event);
        if (reader.stopped) return;
      }
      reader.write(decoder.end());
      reader.end();
    };
    try {
      const input = file.createReadStream({ highWaterMark: CHUNK, autoClose: false });
      if (encoding === 'gzip') await pipeline(input, createGunzip({ chunkSize: CHUNK }), consume);
      else await pipeline(input, consume);
    } catch (error) {
      reader.abort(
        `the ${encoding === 'gzip' ? 'gzip data' : 'file'} cannot be read on: ${messageOf(error)}`,
      );
    }
    for (const event of reader.drain()) await handle(event);
  });
}

/** What `take` gets for an event; nothing for a non-security update, which is no advisory. */
function readOf(
  path: string,
  context: AlasContext | undefined,
  event: UpdateinfoEvent,
): AlasRead | undefined {
  if (event.kind === 'stopped') return { source: path, reason: event.reason };
  if (event.kind === 'broken')
    return { source: `${path}!/${event.id ?? `update[${event.index}]`}`, reason: event.reason };
  const source = `${path}!/${event.update.id ?? `update[${event.update.index}]`}`;
  const converted = alasRecord(event.update, context);
  if ('reason' in converted) return { source, reason: converted.reason };
  if ('skip' in converted) return undefined;
  return { source, record: converted.record };
}

async function withFile<T>(path: string, use: (file: FileHandle) => Promise<T>): Promise<T> {
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (error) {
    throw new VulnDbError('VULNDB_SOURCE_UNREADABLE', `cannot read ${path}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  try {
    return await use(file);
  } finally {
    await file.close();
  }
}
