/**
 * Compressed layers: truncated and corrupt gzip and zstd, decompression bombs, multi-member
 * gzip and multi-frame zstd (valid), media types that lie about the compression. Each layer's
 * digest and size match its stored bytes; what fails, if anything, is the decompression.
 */
import { join } from 'node:path';
import { sha256Digest, type Digest } from '../../../shared/image/digest';
import { MediaType } from '../../../shared/image/media-types';
import { compress, tarOf } from '../image-builder';
import {
  GiB,
  MiB,
  TAR_END,
  gzipMember,
  sha256Of,
  writeRawBlob,
  zeros,
  zstdFrame,
  zstdSkippableFrame,
} from './bytes';
import { ociCase, type Expectation, type HostileCase } from './case';
import { baseLayers, blobLayer, writeImage, type LayerBlob } from './image';
import { tarHeader } from './tar';

/** A third layer the compression cases bend. */
const EXTRA_FILES = {
  'opt/': { type: 'dir' as const },
  'opt/tool/README': 'a file in the layer under test\n'.repeat(64),
  'opt/tool/config.json': '{"enabled":true}\n',
};

/** The bombs: two files of 5 GiB of zeros (each fits the 11-digit octal size field). */
const BOMB_FILE_BYTES = 5 * GiB;
const BOMB_FILES = 2;
const BOMB_CHUNK = 64 * MiB;

function layerCase(
  id: string,
  description: string,
  expectation: Expectation,
  layer: (dir: string) => Promise<LayerBlob>,
): HostileCase {
  return ociCase({
    id,
    description,
    expectation,
    async write(dir) {
      await writeImage(dir, await baseLayers(await layer(dir)));
    },
  });
}

/** The extra layer's tar, compressed, then bent by `bend` (its diff_id stays the tar's). */
function bent(compression: 'gzip' | 'zstd', bend: (blob: Buffer) => Buffer, mediaType?: string) {
  return async (): Promise<LayerBlob> => {
    const tar = await tarOf(EXTRA_FILES);
    const type =
      mediaType ?? (compression === 'gzip' ? MediaType.ociLayerGzip : MediaType.ociLayerZstd);
    return blobLayer(bend(compress(tar, compression)), sha256Digest(tar), type);
  };
}

/** Flips `count` bytes from the middle of a blob on. */
function corrupt(blob: Buffer, count = 16): Buffer {
  const copy = Buffer.from(blob);
  const from = Math.floor(copy.length / 2);
  for (let i = from; i < Math.min(copy.length - 8, from + count); i++) copy[i] = copy[i]! ^ 0xa5;
  return copy;
}

/** The extra layer's tar, cut in three, each part its own gzip member or zstd frame. */
function multiPart(compression: 'gzip' | 'zstd') {
  return async (): Promise<LayerBlob> => {
    const tar = await tarOf(EXTRA_FILES);
    const cuts = [0, 700, 1900, tar.length];
    const parts = cuts.slice(1).map((end, i) => tar.subarray(cuts[i], end));
    const blob =
      compression === 'gzip'
        ? Buffer.concat(parts.map(gzipMember))
        : Buffer.concat([
            zstdSkippableFrame(Buffer.from('clearance hostile corpus: skip me')),
            zstdFrame(parts[0]!),
            zstdSkippableFrame(Buffer.alloc(4096, 0xee)),
            zstdFrame(parts[1]!),
            zstdFrame(parts[2]!),
          ]);
    const type = compression === 'gzip' ? MediaType.ociLayerGzip : MediaType.ociLayerZstd;
    return blobLayer(blob, sha256Digest(tar), type);
  };
}

function* bombTar(): Generator<Buffer> {
  for (let i = 0; i < BOMB_FILES; i++) {
    yield tarHeader({ name: `bomb/zeros-${i}`, size: BOMB_FILE_BYTES });
    yield* zeros(BOMB_FILE_BYTES, BOMB_CHUNK);
  }
  yield TAR_END;
}

let bombDiffId: Promise<Digest> | undefined;

/**
 * 10 GiB of zeros as gzip members or zstd frames of 64 MiB each: about 10 MB of gzip (ratio
 * 1,030) or 330 KB of zstd. The blob is written frame by frame; the diff_id is hashed once.
 */
function bomb(compression: 'gzip' | 'zstd') {
  return async (dir: string): Promise<LayerBlob> => {
    const pack = compression === 'gzip' ? gzipMember : zstdFrame;
    const chunk = pack(Buffer.alloc(BOMB_CHUNK));
    function* blob(): Generator<Buffer> {
      for (let i = 0; i < BOMB_FILES; i++) {
        yield pack(tarHeader({ name: `bomb/zeros-${i}`, size: BOMB_FILE_BYTES }));
        for (let left = BOMB_FILE_BYTES; left > 0; left -= BOMB_CHUNK) yield chunk;
      }
      yield pack(TAR_END);
    }
    const file = join(dir, 'bomb.partial');
    const { digest, size } = await writeRawBlob(file, blob());
    bombDiffId ??= sha256Of(bombTar());
    const mediaType = compression === 'gzip' ? MediaType.ociLayerGzip : MediaType.ociLayerZstd;
    return { mediaType, digest, size, diffId: await bombDiffId, file };
  };
}

export const COMPRESSION_CASES: readonly HostileCase[] = [
  layerCase(
    'gzip-truncated',
    'a gzip layer cut off halfway',
    'invalid',
    bent('gzip', (b) => b.subarray(0, b.length >> 1)),
  ),
  layerCase(
    'gzip-corrupt',
    'a gzip layer with 16 bytes of its deflate stream flipped',
    'invalid',
    bent('gzip', (b) => corrupt(b)),
  ),
  layerCase(
    'gzip-bad-crc',
    'a gzip layer whose trailer CRC-32 is wrong',
    'invalid',
    bent('gzip', (b) => {
      const copy = Buffer.from(b);
      copy[copy.length - 8] = copy[copy.length - 8]! ^ 0xff;
      return copy;
    }),
  ),
  layerCase(
    'gzip-multi-member',
    'a gzip layer of three members (RFC 1952 allows a series)',
    'valid-unusual',
    multiPart('gzip'),
  ),
  layerCase(
    'gzip-bomb-10gib',
    'a gzip layer of 10 MB that inflates to 10 GiB of zeros',
    'invalid',
    bomb('gzip'),
  ),
  layerCase(
    'zstd-truncated',
    'a zstd layer cut off halfway',
    'invalid',
    bent('zstd', (b) => b.subarray(0, b.length >> 1)),
  ),
  layerCase(
    'zstd-corrupt',
    'a zstd layer with 16 bytes of its frame flipped',
    'invalid',
    bent('zstd', (b) => corrupt(b)),
  ),
  layerCase(
    'zstd-multi-frame-skippable',
    'a zstd layer of three frames and two skippable frames (RFC 8878 §3.1.2)',
    'valid-unusual',
    multiPart('zstd'),
  ),
  layerCase(
    'zstd-bomb-10gib',
    'a zstd layer of 330 KB that decompresses to 10 GiB of zeros',
    'invalid',
    bomb('zstd'),
  ),
  layerCase(
    'gzip-bytes-zstd-type',
    'a layer typed tar+zstd whose bytes are gzip',
    'invalid',
    bent('gzip', (b) => b, MediaType.ociLayerZstd),
  ),
  layerCase(
    'plain-tar-gzip-type',
    'a layer typed tar+gzip whose bytes are a plain tar',
    'invalid',
    async () => {
      const tar = await tarOf(EXTRA_FILES);
      return blobLayer(tar, sha256Digest(tar), MediaType.ociLayerGzip);
    },
  ),
  layerCase(
    'gzip-bytes-tar-type',
    'a layer typed plain tar whose bytes are gzip (old tools did this; the magic decides)',
    'valid-unusual',
    bent('gzip', (b) => b, MediaType.ociLayer),
  ),
  layerCase('empty-layer-blob', 'a gzip layer of zero bytes', 'invalid', async () =>
    blobLayer(Buffer.alloc(0), sha256Digest(await tarOf(EXTRA_FILES)), MediaType.ociLayerGzip),
  ),
];
