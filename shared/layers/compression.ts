import type { Readable, Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import type { Digest } from '../image';
import { MediaType } from '../image';
import { LayerError } from './errors';
import { ZstdFrameSplitter } from './zstd-frames';

export type Compression = 'gzip' | 'zstd' | 'none';

/** zlib's default 16 KiB output chunk halves gunzip throughput; 1 MiB restores it. */
const DECOMPRESS_CHUNK = 1 << 20;
const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
/** A skippable frame (`5? 2a 4d 18`) may open a zstd stream, as in `zstd:chunked` layers. */
const ZSTD_SKIPPABLE_MAGIC = [0x2a, 0x4d, 0x18];
const ZSTD_SKIPPABLE_NIBBLE = 0x50;

const BY_MEDIA_TYPE: Readonly<Record<string, Compression>> = {
  [MediaType.ociLayerGzip]: 'gzip',
  [MediaType.ociLayerNondistributableGzip]: 'gzip',
  [MediaType.dockerLayerGzip]: 'gzip',
  [MediaType.dockerForeignLayerGzip]: 'gzip',
  [MediaType.ociLayerZstd]: 'zstd',
  [MediaType.ociLayerNondistributableZstd]: 'zstd',
  [MediaType.dockerLayerZstd]: 'zstd',
};

/** Media types whose compression the bytes decide: plain tar types, which old tools also used for gzip. */
const SNIFFED_MEDIA_TYPES: ReadonlySet<string> = new Set([
  MediaType.ociLayer,
  MediaType.ociLayerNondistributable,
  MediaType.dockerLayer,
  'application/octet-stream',
]);

/**
 * The compression a layer's media type declares, `sniff` when the bytes must decide, or
 * undefined when the media type is not a layer at all (an artifact, a Helm chart, …).
 */
export function compressionOfMediaType(mediaType: string): Compression | 'sniff' | undefined {
  return BY_MEDIA_TYPE[mediaType] ?? (SNIFFED_MEDIA_TYPES.has(mediaType) ? 'sniff' : undefined);
}

/** Compression by magic bytes: gzip (RFC 1952), zstd (RFC 8878, a frame or a skippable one), else none. */
export function sniffCompression(head: Uint8Array): Compression {
  if (GZIP_MAGIC.every((b, i) => head[i] === b)) return 'gzip';
  if (ZSTD_MAGIC.every((b, i) => head[i] === b)) return 'zstd';
  const skippable =
    ((head[0] ?? 0) & 0xf0) === ZSTD_SKIPPABLE_NIBBLE &&
    ZSTD_SKIPPABLE_MAGIC.every((b, i) => head[i + 1] === b);
  return skippable ? 'zstd' : 'none';
}

/**
 * The pipeline stages that decompress `compression`, none for `none`. Both read every member or
 * frame of a stream: Node's gunzip goes on to the next gzip member by itself; a zstd stream is
 * cut at its frame boundaries first, which lets the decompressor go on ({@link ZstdFrameSplitter}).
 */
export function createDecompressor(compression: Compression, layer: Digest): Transform[] {
  if (compression === 'gzip') return [zlib.createGunzip({ chunkSize: DECOMPRESS_CHUNK })];
  if (compression === 'zstd') {
    // zlib gained zstd in Node 22.15 (engines in package.json); older runtimes get a clear error.
    if (typeof zlib.createZstdDecompress !== 'function') {
      throw new LayerError(
        'UNSUPPORTED_COMPRESSION',
        layer,
        `zstd layers need Node 22.15 or newer; this is ${process.version}`,
        'bug',
      );
    }
    return [
      new ZstdFrameSplitter(layer),
      zlib.createZstdDecompress({ chunkSize: DECOMPRESS_CHUNK }),
    ];
  }
  return [];
}

/** Reads up to `n` bytes from the front of `stream` and puts them back, for sniffing. */
export async function peek(stream: Readable, n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  while (length < n) {
    const chunk = stream.read() as Buffer | null;
    if (chunk !== null) {
      chunks.push(chunk);
      length += chunk.length;
      continue;
    }
    if (stream.readableEnded || stream.destroyed) break;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        stream.off('readable', done).off('end', done).off('error', done).off('close', done);
        resolve();
      };
      stream.on('readable', done).on('end', done).on('error', done).on('close', done);
    });
    if (stream.errored) break;
  }
  const head = Buffer.concat(chunks);
  if (head.length > 0) stream.unshift(head);
  return head;
}
