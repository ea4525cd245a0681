import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { sha256Digest } from '../../shared/image/digest';
import { MediaType } from '../../shared/image/media-types';
import {
  LayerError,
  walkLayer,
  type LayerListing,
  type SelectedFile,
  type WalkOptions,
} from '../../shared/layers';
import { compress, tarOf, type Compression } from '../support/image-builder';
import { gnuLongName, paxEntry, rawTar } from '../support/raw-tar';

const MEDIA_TYPE: Record<Compression, string> = {
  gzip: MediaType.ociLayerGzip,
  zstd: MediaType.ociLayerZstd,
  none: MediaType.ociLayer,
};

async function walk(
  blob: Buffer,
  options: Partial<WalkOptions> & { tar?: Buffer } = {},
): Promise<LayerListing & { files: SelectedFile[] }> {
  const files: SelectedFile[] = [];
  const listing = await walkLayer(Readable.from([blob]), {
    descriptor: {
      mediaType: MediaType.ociLayerGzip,
      digest: sha256Digest(blob),
      size: blob.length,
    },
    onFile: (f) => {
      files.push(f);
    },
    ...options,
  });
  return { ...listing, files };
}

async function expectLayerError(promise: Promise<unknown>, code: string): Promise<LayerError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LayerError);
  expect((error as LayerError).code).toBe(code);
  return error as LayerError;
}

describe('walkLayer', () => {
  const files = {
    'etc/': { type: 'dir' as const },
    'etc/os-release': 'ID=debian\n',
    'usr/bin/app': 'binary',
    './usr/lib/x': 'x',
  };

  describe.each<Compression>(['gzip', 'zstd', 'none'])('when the layer is %s', (compression) => {
    it('lists every entry, reads only the selected files and checks the diff_id', async () => {
      const tar = await tarOf(files);
      const blob = compress(tar, compression);
      const listing = await walk(blob, {
        descriptor: {
          mediaType: MEDIA_TYPE[compression],
          digest: sha256Digest(blob),
          size: blob.length,
        },
        diffId: sha256Digest(tar),
        select: (e) => e.path === 'etc/os-release',
      });
      expect(listing.compression).toBe(compression);
      expect(listing.entries.map((e) => e.path)).toEqual([
        'etc',
        'etc/os-release',
        'usr/bin/app',
        'usr/lib/x',
      ]);
      expect(listing.files.map((f) => [f.entry.path, f.bytes.toString()])).toEqual([
        ['etc/os-release', 'ID=debian\n'],
      ]);
      expect(listing.uncompressedBytes).toBe(tar.length);
      expect(listing.compressedBytes).toBe(blob.length);
    });
  });

  describe('when the media type says plain tar', () => {
    it.each<Compression>(['gzip', 'zstd', 'none'])(
      'detects %s from the magic bytes',
      async (compression) => {
        const blob = compress(await tarOf(files), compression);
        const listing = await walk(blob, {
          descriptor: {
            mediaType: MediaType.dockerLayer,
            digest: sha256Digest(blob),
            size: blob.length,
          },
        });
        expect(listing.compression).toBe(compression);
        expect(listing.entries).toHaveLength(4);
      },
    );
  });

  describe('when the layer is empty', () => {
    it('returns an empty listing', async () => {
      const listing = await walk(gzipSync(await tarOf({})));
      expect(listing.entries).toEqual([]);
      expect(listing.problems).toEqual([]);
    });
  });

  describe('when a selected file is larger than maxFileBytes', () => {
    it('hands over its beginning, marked truncated, and reads the next entry intact', async () => {
      const big = 'a'.repeat(10_000);
      const listing = await walk(gzipSync(await tarOf({ big, after: 'next' })), {
        select: () => true,
        limits: { maxFileBytes: 100 },
      });
      expect(listing.files[0]).toMatchObject({ truncated: true });
      expect(listing.files[0]!.bytes.toString()).toBe('a'.repeat(100));
      expect(listing.files[1]).toMatchObject({ truncated: false });
      expect(listing.files[1]!.bytes.toString()).toBe('next');
    });
  });

  describe('when a consumer reads a selected file by ranges', () => {
    const big = Buffer.alloc(300_000);
    for (let i = 0; i < big.length; i++) big[i] = i % 251;
    const spillFiles = () => readdirSync(tmpdir()).filter((n) => n.startsWith('clearance-spill-'));

    it('hands over a small file whole in memory, past maxFileBytes', async () => {
      const seen: Buffer[] = [];
      await walk(gzipSync(await tarOf({ big })), {
        select: () => 'ranges',
        limits: { maxFileBytes: 100 },
        onFile: async (f) => {
          expect(f).toMatchObject({ truncated: false });
          seen.push(await f.read(299_990, 100));
        },
      });
      expect(seen).toEqual([big.subarray(299_990)]);
    });

    it('spills a file over spillAboveBytes to a private temporary file, deleted after use', async () => {
      const before = spillFiles();
      const reads: Buffer[] = [];
      const listing = await walk(gzipSync(await tarOf({ big, after: 'next' })), {
        select: (e) => (e.path === 'big' ? 'ranges' : true),
        limits: { spillAboveBytes: 1000 },
        onFile: async (f) => {
          if (f.entry.path !== 'big') return;
          expect(f).toMatchObject({ truncated: true, bytes: Buffer.alloc(0) });
          expect(spillFiles().length).toBe(before.length + 1);
          reads.push(await f.read(0, 16), await f.read(150_000, 1000), await f.read(299_999, 10));
          reads.push(await f.read(400_000, 10));
        },
      });
      expect(reads).toEqual([
        big.subarray(0, 16),
        big.subarray(150_000, 151_000),
        big.subarray(299_999),
        Buffer.alloc(0),
      ]);
      expect(listing.entries.map((e) => e.path)).toEqual(['big', 'after']);
      expect(spillFiles()).toEqual(before);
    });

    it('deletes the spilled file when the consumer throws', async () => {
      const before = spillFiles();
      const walked = walk(gzipSync(await tarOf({ big })), {
        select: () => 'ranges',
        limits: { spillAboveBytes: 1000 },
        onFile: () => {
          throw new Error('consumer failed');
        },
      });
      await expect(walked).rejects.toThrow('consumer failed');
      expect(spillFiles()).toEqual(before);
    });
  });

  describe('when the tar uses the extended formats', () => {
    const longName = `${'deep/'.repeat(40)}file.txt`;

    it('reads GNU long names', async () => {
      const listing = await walk(gzipSync(rawTar(gnuLongName(longName, 'gnu'))), {
        select: () => true,
      });
      expect(listing.files.map((f) => [f.entry.path, f.bytes.toString()])).toEqual([
        [longName, 'gnu'],
      ]);
    });

    it('reads PAX paths', async () => {
      const listing = await walk(
        gzipSync(rawTar(paxEntry({ path: longName }, { name: 'short', body: 'pax' }))),
        { select: () => true },
      );
      expect(listing.files.map((f) => f.entry.path)).toEqual([longName]);
    });

    it('reads base-256 sizes', async () => {
      const listing = await walk(
        gzipSync(rawTar([{ name: 'b256', body: 'big-endian', format: 'gnu', base256Size: true }])),
        { select: () => true },
      );
      expect(listing.files[0]!.bytes.toString()).toBe('big-endian');
    });
  });

  describe('when entries are links, devices and whiteouts', () => {
    it('records links, ignores devices, and collects whiteouts and opaque directories', async () => {
      const tar = await tarOf({
        'bin/sh': { type: 'symlink', linkname: '/bin/dash' },
        'bin/sh2': { type: 'link', linkname: './bin/dash' },
        'dev/null': { type: 'char' },
        'dev/fifo': { type: 'fifo' },
        'etc/.wh.passwd': '',
        'var/cache/.wh..wh..opq': '',
      });
      const listing = await walk(gzipSync(tar));
      expect(listing.entries).toEqual([
        expect.objectContaining({ path: 'bin/sh', type: 'symlink', linkTarget: '/bin/dash' }),
        expect.objectContaining({ path: 'bin/sh2', type: 'hardlink', linkTarget: 'bin/dash' }),
      ]);
      expect(listing.ignoredEntries).toBe(2);
      expect(listing.whiteouts).toEqual(['etc/passwd']);
      expect(listing.opaqueDirectories).toEqual(['var/cache']);
    });
  });

  describe('when an entry tries to escape the image root', () => {
    it('records a problem, skips the entry and keeps walking', async () => {
      const tar = rawTar([
        { name: '../../etc/cron.d/evil', body: 'x' },
        { name: 'ok', body: 'fine' },
        { name: 'link', type: '1', linkname: '../../outside' },
      ]);
      const listing = await walk(gzipSync(tar));
      expect(listing.entries.map((e) => e.path)).toEqual(['ok']);
      expect(listing.problems).toEqual([
        expect.objectContaining({
          path: '../../etc/cron.d/evil',
          reason: expect.stringContaining('escapes the image root'),
        }),
        expect.objectContaining({
          path: 'link',
          reason: expect.stringContaining('outside the image root'),
        }),
      ]);
    });
  });

  describe('failures', () => {
    it('fails when the gzip stream is corrupt', async () => {
      const blob = gzipSync(await tarOf(files));
      blob.fill(0xaa, 20, 60);
      const error = await expectLayerError(walk(blob), 'CORRUPT_COMPRESSION');
      expect(error.message).toContain(sha256Digest(blob));
    });

    it('fails when the gzip stream is cut short', async () => {
      const blob = gzipSync(await tarOf(files));
      await expectLayerError(walk(blob.subarray(0, blob.length - 30)), 'CORRUPT_COMPRESSION');
    });

    it('fails when the tar is truncated inside an entry', async () => {
      const tar = rawTar([{ name: 'file', body: 'x'.repeat(2000) }], { end: false });
      await expectLayerError(walk(gzipSync(tar.subarray(0, 1024))), 'CORRUPT_TAR');
    });

    it('fails when a tar header is corrupt', async () => {
      await expectLayerError(
        walk(
          gzipSync(
            rawTar([
              { name: 'a', body: 'x' },
              { name: 'b', body: 'y', badChecksum: true },
            ]),
          ),
        ),
        'CORRUPT_TAR',
      );
    });

    it('fails when the uncompressed bytes do not match the diff_id', async () => {
      const error = await expectLayerError(
        walk(gzipSync(await tarOf(files)), { diffId: sha256Digest('something else') }),
        'DIFF_ID_MISMATCH',
      );
      expect(error.message).toContain(sha256Digest('something else'));
    });

    it('fails when the media type is not a layer', async () => {
      const blob = gzipSync(await tarOf(files));
      const error = await expectLayerError(
        walk(blob, {
          descriptor: {
            mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
            digest: sha256Digest(blob),
            size: blob.length,
          },
        }),
        'UNSUPPORTED_LAYER_MEDIA_TYPE',
      );
      expect(error.message).toContain('application/vnd.cncf.helm.chart.content.v1.tar+gzip');
    });

    it('fails when the layer is larger than maxLayerBytes', async () => {
      const error = await expectLayerError(
        walk(gzipSync(await tarOf({ big: 'x'.repeat(100_000) })), {
          limits: { maxLayerBytes: 50_000 },
        }),
        'LAYER_LIMIT_EXCEEDED',
      );
      expect(error.message).toContain('maxLayerBytes');
    });

    it('fails when the layer has more entries than maxEntries', async () => {
      const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, 'x']));
      await expectLayerError(
        walk(gzipSync(await tarOf(many)), { limits: { maxEntries: 10 } }),
        'LAYER_LIMIT_EXCEEDED',
      );
    });

    it('fails when the compression ratio marks a decompression bomb', async () => {
      const bomb = gzipSync(await tarOf({ zeros: Buffer.alloc(20 * 1024 * 1024) }));
      const error = await expectLayerError(
        walk(bomb, { limits: { maxCompressionRatio: 100, ratioCheckAfterBytes: 1024 * 1024 } }),
        'LAYER_LIMIT_EXCEEDED',
      );
      expect(error.message).toContain('maxCompressionRatio');
    });
  });
});
