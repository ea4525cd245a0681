import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { sha256Digest } from '../../shared/image/digest';
import { MediaType } from '../../shared/image/media-types';
import { LayerError, sniffCompression, walkLayer, type LayerListing } from '../../shared/layers';
import { tarOf } from '../support/image-builder';

/** A skippable frame (RFC 8878 §3.1.2): magic 0x184D2A5?, a 4-byte size, that many bytes. */
function skippableFrame(payload: Buffer, nibble = 0): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32LE(0x184d2a50 + nibble, 0);
  header.writeUInt32LE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/** `bytes` cut into pieces of `size`, each compressed as a frame of its own. */
function framesOf(bytes: Buffer, size: number, compress = zstdCompressSync): Buffer[] {
  const frames: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size)
    frames.push(compress(bytes.subarray(at, at + size)));
  return frames;
}

/** Walks `blob` (a zstd layer unless told) delivered in chunks of `chunk` bytes, checking the diff_id. */
function walkLayerIn(
  blob: Buffer,
  tar: Buffer,
  options: { chunk?: number; mediaType?: string } = {},
): Promise<LayerListing> {
  const chunk = options.chunk ?? blob.length;
  const chunks: Buffer[] = [];
  for (let at = 0; at < blob.length; at += chunk) chunks.push(blob.subarray(at, at + chunk));
  return walkLayer(Readable.from(chunks), {
    descriptor: {
      mediaType: options.mediaType ?? MediaType.ociLayerZstd,
      digest: sha256Digest(blob),
      size: blob.length,
    },
    diffId: sha256Digest(tar),
  });
}

async function layerError(promise: Promise<unknown>): Promise<LayerError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LayerError);
  return error as LayerError;
}

const FILES = Object.fromEntries(
  Array.from({ length: 40 }, (_, i) => [`dir${i % 3}/file${i}.txt`, `content ${i} `.repeat(i * 9)]),
);

describe('walkLayer on layers of several frames or members', () => {
  describe('when the layer is made of several frames', () => {
    it('reads every frame and verifies the diff_id', async () => {
      const tar = await tarOf(FILES);
      const blob = Buffer.concat(framesOf(tar, 1000));
      const listing = await walkLayerIn(blob, tar);
      expect(listing.entries).toHaveLength(40);
      expect(listing.uncompressedBytes).toBe(tar.length);
    });

    it('reads them whatever the chunks they arrive in', async () => {
      const tar = await tarOf(FILES);
      const blob = Buffer.concat([skippableFrame(Buffer.from('toc')), ...framesOf(tar, 3000)]);
      for (const chunk of [1, 3, 7, 4096]) {
        const listing = await walkLayerIn(blob, tar, { chunk });
        expect(listing.uncompressedBytes).toBe(tar.length);
      }
    });

    it('reads a large frame between small ones', async () => {
      const tar = await tarOf({ small: 'a', random: randomBytes(3 << 20), tail: 'b'.repeat(5000) });
      const cut = [0, 512, tar.length - 6000, tar.length];
      const frames = cut.slice(1).map((end, i) => zstdCompressSync(tar.subarray(cut[i], end)));
      expect(frames[1]!.length).toBeGreaterThan(1 << 20);
      const listing = await walkLayerIn(Buffer.concat(frames), tar, { chunk: 65536 });
      expect(listing.entries.map((e) => e.path)).toEqual(['small', 'random', 'tail']);
    });

    it('reads frames that each inflate to several output chunks', async () => {
      const tar = await tarOf({ zeros: Buffer.alloc(12 << 20), after: 'x' });
      const listing = await walkLayerIn(Buffer.concat(framesOf(tar, 6 << 20)), tar);
      expect(listing.entries.map((e) => e.path)).toEqual(['zeros', 'after']);
    });
  });

  describe('when skippable frames come first, between and last (the zstd:chunked shape)', () => {
    it('drops them and verifies the diff_id', async () => {
      const tar = await tarOf(FILES);
      const [first, ...rest] = framesOf(tar, 2048);
      const blob = Buffer.concat([
        skippableFrame(randomBytes(100), 0xf),
        first!,
        skippableFrame(Buffer.alloc(0)),
        ...rest,
        skippableFrame(Buffer.from('{"manifest":[]}'), 2),
      ]);
      const listing = await walkLayerIn(blob, tar, { chunk: 777 });
      expect(listing.entries).toHaveLength(40);
    });

    it('knows such a layer as zstd by its first bytes', async () => {
      const tar = await tarOf(FILES);
      const blob = Buffer.concat([skippableFrame(Buffer.from('x'), 0xa), ...framesOf(tar, 4096)]);
      expect(sniffCompression(blob)).toBe('zstd');
      const listing = await walkLayerIn(blob, tar, { mediaType: MediaType.ociLayer });
      expect(listing.compression).toBe('zstd');
    });
  });

  describe('when the zstd command line made the frames', () => {
    const zstdCli = (input: Buffer, ...flags: string[]): Buffer =>
      execFileSync('zstd', ['-q', '-c', ...flags], { input, maxBuffer: 64 << 20 });

    it('reads frames compressed separately and concatenated, with and without checksums', async () => {
      const tar = await tarOf({ ...FILES, random: randomBytes(400_000) });
      const half = Math.floor(tar.length / 2);
      const blob = Buffer.concat([
        zstdCli(tar.subarray(0, half), '-19', '--check'),
        zstdCli(tar.subarray(half), '-1', '--no-check', '--no-content-size'),
      ]);
      const listing = await walkLayerIn(blob, tar, { chunk: 10_000 });
      expect(listing.uncompressedBytes).toBe(tar.length);
    });

    it('reads a layer compressed in one multi-threaded pass', async () => {
      const tar = await tarOf({ ...FILES, random: randomBytes(2 << 20) });
      const listing = await walkLayerIn(zstdCli(tar, '-T2', '-3'), tar);
      expect(listing.uncompressedBytes).toBe(tar.length);
    });
  });

  describe('when a gzip layer is made of several members', () => {
    it('reads every member and verifies the diff_id', async () => {
      const tar = await tarOf(FILES);
      const blob = Buffer.concat(framesOf(tar, 1500, (b) => gzipSync(b)));
      const listing = await walkLayerIn(blob, tar, {
        chunk: 999,
        mediaType: MediaType.ociLayerGzip,
      });
      expect(listing.compression).toBe('gzip');
      expect(listing.uncompressedBytes).toBe(tar.length);
    });
  });

  describe('failures', () => {
    it('fails when the stream ends inside a frame', async () => {
      const tar = await tarOf(FILES);
      const blob = Buffer.concat(framesOf(tar, 4096));
      const error = await layerError(walkLayerIn(blob.subarray(0, blob.length - 5), tar));
      expect(error.code).toBe('CORRUPT_COMPRESSION');
      expect(error.message).toContain('ends inside a frame');
    });

    it('fails when bytes that are no frame follow the frames', async () => {
      const tar = await tarOf(FILES);
      const blob = Buffer.concat([zstdCompressSync(tar), Buffer.from('garbage!')]);
      const error = await layerError(walkLayerIn(blob, tar));
      expect(error.code).toBe('CORRUPT_COMPRESSION');
      expect(error.message).toMatch(/expected a zstd frame .* at byte \d+, got 67617262/);
    });

    it('fails when a block has the reserved type', async () => {
      const tar = await tarOf(FILES);
      const blob = zstdCompressSync(tar);
      const headerEnd = blob.indexOf(Buffer.from([0x28, 0xb5, 0x2f, 0xfd])) + 4;
      const descriptor = blob[headerEnd]!;
      const singleSegment = (descriptor >> 5) & 1;
      const fcs = [singleSegment, 2, 4, 8][descriptor >> 6]!;
      const block = headerEnd + 1 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][descriptor & 3]! + fcs;
      blob[block] = blob[block]! | 0b110;
      const error = await layerError(walkLayerIn(blob, tar));
      expect(error.code).toBe('CORRUPT_COMPRESSION');
      expect(error.message).toContain('reserved type');
    });

    it('fails when a frame is corrupt', async () => {
      const tar = await tarOf(FILES);
      const blob = Buffer.concat(framesOf(tar, 4096));
      blob.fill(0x55, 30, 60);
      expect((await layerError(walkLayerIn(blob, tar))).code).toMatch(
        /CORRUPT_COMPRESSION|DIFF_ID_MISMATCH|CORRUPT_TAR/,
      );
    });
  });
});
