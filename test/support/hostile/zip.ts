/**
 * A small ZIP writer for hostile archives (jars, OSV exports): names with `../`, sizes that lie,
 * deflate bombs. https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT §4.3
 */
import { pipeline } from 'node:stream/promises';
import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';
import { zeros } from './bytes';

export interface ZipEntry {
  readonly name: string;
  /** Stored, or deflated unless `stored`. */
  readonly data?: Buffer;
  readonly stored?: boolean;
  /**
   * Already-deflated bytes with the CRC-32 and size of what they inflate to (bombs are
   * deflated in a stream, not from a buffer of their full size).
   */
  readonly deflated?: { readonly bytes: Buffer; readonly crc: number; readonly size: number };
  /** The uncompressed size written in the headers instead of the true one. */
  readonly claimedSize?: number;
}

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const DEFLATE = 8;
/** 2026-01-01 00:00 in MS-DOS date and time. */
const DOS_DATE = ((2026 - 1980) << 9) | (1 << 5) | 1;

export function zipOf(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const body = bodyOf(entry);
    const name = Buffer.from(entry.name, 'utf8');
    const fields = { ...body, name, size: entry.claimedSize ?? body.size };
    const local = Buffer.concat([localHeader(fields), name, body.bytes]);
    centrals.push(Buffer.concat([centralHeader(fields, offset), name]));
    locals.push(local);
    offset += local.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

interface Body {
  readonly bytes: Buffer;
  readonly method: number;
  readonly crc: number;
  readonly size: number;
}

type Fields = Body & { readonly name: Buffer };

function bodyOf(entry: ZipEntry): Body {
  if (entry.deflated) return { ...entry.deflated, method: DEFLATE };
  const data = entry.data ?? Buffer.alloc(0);
  const crc = crc32(data);
  if (entry.stored) return { bytes: data, method: 0, crc, size: data.length };
  return { bytes: deflateRawSync(data), method: DEFLATE, crc, size: data.length };
}

function localHeader(f: Fields): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(LOCAL, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(f.method, 8);
  h.writeUInt16LE(DOS_DATE, 12);
  h.writeUInt32LE(f.crc, 14);
  h.writeUInt32LE(f.bytes.length, 18);
  h.writeUInt32LE(f.size, 22);
  h.writeUInt16LE(f.name.length, 26);
  return h;
}

function centralHeader(f: Fields, offset: number): Buffer {
  const h = Buffer.alloc(46);
  h.writeUInt32LE(CENTRAL, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(20, 6);
  h.writeUInt16LE(f.method, 10);
  h.writeUInt16LE(DOS_DATE, 14);
  h.writeUInt32LE(f.crc, 16);
  h.writeUInt32LE(f.bytes.length, 20);
  h.writeUInt32LE(f.size, 24);
  h.writeUInt16LE(f.name.length, 28);
  h.writeUInt32LE(offset, 42);
  return h;
}

type Deflated = NonNullable<ZipEntry['deflated']>;
const deflatedBySize = new Map<number, Promise<Deflated>>();

/** `size` zero bytes deflated in a stream (a 1 GiB bomb is 1 MB; its zeros are never held). */
export function deflatedZeros(size: number): Promise<Deflated> {
  let deflated = deflatedBySize.get(size);
  if (deflated === undefined) deflatedBySize.set(size, (deflated = deflateZeros(size)));
  return deflated;
}

async function deflateZeros(size: number): Promise<Deflated> {
  const chunks: Buffer[] = [];
  let crc = 0;
  await pipeline(
    function* () {
      for (const chunk of zeros(size)) {
        crc = crc32(chunk, crc);
        yield chunk;
      }
    },
    createDeflateRaw({ level: 9 }),
    async function (deflated: AsyncIterable<Buffer>) {
      for await (const chunk of deflated) chunks.push(chunk);
    },
  );
  return { bytes: Buffer.concat(chunks), crc, size };
}
