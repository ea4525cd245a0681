/**
 * Byte-level helpers of the hostile corpus: deterministic "random" bytes, streamed layers (a
 * layer of a million entries or 10 GiB is never held in memory), gzip members and zstd frames.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, createZstdCompress, gzipSync, zstdCompressSync } from 'node:zlib';
import type { Digest } from '../../../shared/image/digest';
import type { Compression } from '../image-builder';

/** Tar and zlib work in these. */
export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;
const TAR_BLOCK = 512;

/** A path in the repository (found upward from here: this file may run bundled under dist/). */
export function repoPath(...segments: string[]): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = up;
  }
  return join(dir, ...segments);
}

/** `length` bytes that look random and are the same every run for the same `seed`. */
export function pseudoRandom(seed: string, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let offset = 0, counter = 0; offset < length; counter++) {
    offset += createHash('sha256').update(`${seed}:${counter}`).digest().copy(out, offset);
  }
  return out;
}

/** `depth` nested JSON arrays: `[[[…]]]`. */
export function nestedArrays(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** The sha256 of everything `chunks` yields. */
export async function sha256Of(chunks: Iterable<Buffer> | AsyncIterable<Buffer>): Promise<Digest> {
  const hash = createHash('sha256');
  for await (const chunk of chunks) hash.update(chunk);
  return `sha256:${hash.digest('hex')}`;
}

/** A blob written to disk, with what a descriptor and a config need to name it. */
export interface StreamedBlob {
  readonly digest: Digest;
  readonly size: number;
  /** sha256 of the uncompressed bytes (the diff_id of a layer). */
  readonly diffId: Digest;
}

/**
 * Streams tar bytes through a compressor into `file`, hashing both sides: memory stays at a
 * few chunks whatever the layer's size.
 */
export async function writeStreamedLayer(
  file: string,
  tarChunks: Iterable<Buffer> | AsyncIterable<Buffer>,
  compression: Compression,
): Promise<StreamedBlob> {
  const tarHash = createHash('sha256');
  async function* source(): AsyncGenerator<Buffer> {
    for await (const chunk of tarChunks) {
      tarHash.update(chunk);
      yield chunk;
    }
  }
  const counter = new HashingCounter();
  const out = createWriteStream(file);
  if (compression === 'gzip')
    await pipeline(source, createGzip({ level: 1, chunkSize: MiB }), counter, out);
  else if (compression === 'zstd')
    await pipeline(source, createZstdCompress({ chunkSize: MiB }), counter, out);
  else await pipeline(source, counter, out);
  return {
    digest: counter.digest(),
    size: counter.bytes,
    diffId: `sha256:${tarHash.digest('hex')}`,
  };
}

/** Writes already-compressed chunks as they are; the diff_id is the caller's to compute. */
export async function writeRawBlob(
  file: string,
  chunks: Iterable<Buffer> | AsyncIterable<Buffer>,
): Promise<{ digest: Digest; size: number }> {
  const counter = new HashingCounter();
  await pipeline(
    async function* () {
      yield* chunks;
    },
    counter,
    createWriteStream(file),
  );
  return { digest: counter.digest(), size: counter.bytes };
}

/** `count` zero bytes in chunks of at most `chunk`, one buffer reused. */
export function* zeros(count: number, chunk = 64 * MiB): Generator<Buffer> {
  const block = Buffer.alloc(Math.min(chunk, count));
  for (let left = count; left > 0; left -= block.length)
    yield left >= block.length ? block : block.subarray(0, left);
}

/** Zero padding that ends a tar body of `size` bytes on a block boundary. */
export function tarPadding(size: number): Buffer {
  return Buffer.alloc((TAR_BLOCK - (size % TAR_BLOCK)) % TAR_BLOCK);
}

/** The two zero blocks that end a tar archive. */
export const TAR_END = Buffer.alloc(2 * TAR_BLOCK);

/** One gzip member (RFC 1952 §2.2: a gzip file is a series of members). */
export function gzipMember(bytes: Buffer): Buffer {
  return gzipSync(bytes, { level: 9 });
}

/** One zstd frame. */
export function zstdFrame(bytes: Buffer): Buffer {
  return zstdCompressSync(bytes);
}

/**
 * A zstd skippable frame (RFC 8878 §3.1.2): magic 0x184D2A5?, a 4-byte little-endian size,
 * then that many bytes a decoder must skip.
 */
export function zstdSkippableFrame(payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32LE(0x184d2a50, 0);
  header.writeUInt32LE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/** Passes bytes through, counting and hashing them. */
class HashingCounter extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    callback(null, chunk);
  }

  digest(): Digest {
    return `sha256:${this.hash.digest('hex')}`;
  }
}
