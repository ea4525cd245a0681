/**
 * Digests and sizes that do not verify: a blob, a diff_id, a size, a manifest or config named
 * by one digest and holding other bytes. No command may exit 0 on these without
 * `--allow-incomplete`.
 */
import { createHash } from 'node:crypto';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Digest } from '../../../shared/image/digest';
import { buildImage, buildIndex, writeOciLayout } from '../image-builder';
import { ociCase, type HostileCase } from './case';
import {
  APP_FILES,
  BASE_FILES,
  baseLayers,
  blobPath,
  imageConfig,
  writeImage,
  type ImageHooks,
  type LayerBlob,
} from './image';

function mismatch(
  id: string,
  description: string,
  hooks: (layers: readonly LayerBlob[]) => ImageHooks,
  after?: (dir: string, layers: readonly LayerBlob[]) => Promise<void>,
): HostileCase {
  return ociCase({
    id,
    description,
    expectation: 'invalid-digest',
    async write(dir) {
      const layers = await baseLayers();
      await writeImage(dir, layers, { hooks: hooks(layers) });
      await after?.(dir, layers);
    },
  });
}

/** gzip's MTIME field (RFC 1952 §2.3.1): changing it changes the blob, not what it inflates to. */
function touchGzipMtime(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  copy[4] = (copy[4]! + 1) & 0xff;
  return copy;
}

/** A blob file replaced by a symbolic link. */
async function linkBlob(dir: string, layer: LayerBlob, target: string): Promise<void> {
  const path = blobPath(dir, layer.digest);
  await rm(path);
  await symlink(target, path);
}

export const DIGEST_CASES: readonly HostileCase[] = [
  mismatch(
    'layer-blob-digest-mismatch',
    'a layer blob whose bytes differ from its digest (gzip MTIME changed: same tar inside)',
    (layers) => ({
      stored: (digest, bytes) => (digest === layers[0]!.digest ? touchGzipMtime(bytes) : bytes),
    }),
  ),
  mismatch(
    'layer-blob-swapped',
    "the first layer's digest names a file holding the second layer's bytes",
    (layers) => ({
      stored: (digest, bytes) => (digest === layers[0]!.digest ? layers[1]!.bytes! : bytes),
    }),
  ),
  mismatch(
    'layer-diff-id-mismatch',
    "the config's diff_id of the second layer is the sha256 of other bytes",
    () => ({
      config: (c) => {
        const ids = [...(c.rootfs as { diff_ids: string[] }).diff_ids];
        ids[1] = sha256Digest('not this layer');
        return { ...c, rootfs: { type: 'layers', diff_ids: ids } };
      },
    }),
  ),
  mismatch('layer-size-larger', 'a layer descriptor claims 1,000 bytes more than the blob', () => ({
    layerDescriptor: (d, i) => (i === 0 ? { ...d, size: d.size + 1000 } : d),
  })),
  mismatch('layer-size-smaller', 'a layer descriptor claims 10 bytes fewer than the blob', () => ({
    layerDescriptor: (d, i) => (i === 0 ? { ...d, size: d.size - 10 } : d),
  })),
  mismatch('layer-blob-truncated', 'the stored layer blob is its first half', (layers) => ({
    stored: (digest, bytes) =>
      digest === layers[0]!.digest ? bytes.subarray(0, bytes.length >> 1) : bytes,
  })),
  mismatch(
    'manifest-digest-mismatch',
    "index.json's manifest digest names a file holding the manifest plus a trailing space",
    () => ({}),
    async (dir, layers) => {
      const { manifest, manifestDescriptor } = await writeImage(dir, layers);
      await writeFile(
        blobPath(dir, manifestDescriptor.digest),
        Buffer.concat([manifest, Buffer.from(' ')]),
      );
    },
  ),
  mismatch('manifest-size-mismatch', "index.json's manifest size is one byte too large", () => ({
    manifestDescriptor: (d) => ({ ...d, size: d.size + 1 }),
  })),
  mismatch(
    'config-digest-mismatch',
    "the manifest's config digest names a file holding the config plus a trailing newline",
    () => ({}),
    async (dir, layers) => {
      const { config } = await writeImage(dir, layers);
      await writeFile(
        blobPath(dir, sha256Digest(config)),
        Buffer.concat([config, Buffer.from('\n')]),
      );
    },
  ),
  mismatch('config-size-mismatch', "the config descriptor's size is one byte short", () => ({
    configDescriptor: (d) => ({ ...d, size: d.size - 1 }),
  })),
  mismatch(
    'layer-sha512-mismatch',
    'a layer named by a sha512 digest of other bytes, its file at blobs/sha512/<hex>',
    () => ({
      layerDescriptor: (d, i) =>
        i === 0
          ? { ...d, digest: `sha512:${createHash('sha512').update('other').digest('hex')}` }
          : d,
    }),
    async (dir, layers) => {
      const hex = createHash('sha512').update('other').digest('hex');
      await mkdir(join(dir, 'blobs', 'sha512'), { recursive: true });
      await writeFile(join(dir, 'blobs', 'sha512', hex), layers[0]!.bytes!);
    },
  ),
  mismatch(
    'blob-symlink-dev-zero',
    'a layer blob is a symbolic link to /dev/zero',
    () => ({}),
    (dir, layers) => linkBlob(dir, layers[0]!, '/dev/zero'),
  ),
  mismatch(
    'blob-symlink-outside',
    'a layer blob is a symbolic link to /etc/passwd, outside the layout',
    () => ({}),
    (dir, layers) => linkBlob(dir, layers[0]!, '/etc/passwd'),
  ),
  ociCase({
    id: 'index-child-digest-mismatch',
    description:
      'a two-platform index whose amd64 manifest file holds other bytes than its digest (--platform linux/amd64)',
    expectation: 'invalid-digest',
    platform: 'linux/amd64',
    async write(dir) {
      const config = imageConfig([]).config as Record<string, unknown>;
      const images = await Promise.all(
        ['amd64', 'arm64'].map((architecture) =>
          buildImage({
            platform: { os: 'linux', architecture },
            config,
            layers: [{ files: BASE_FILES }, { files: APP_FILES }],
          }),
        ),
      );
      const index = await buildIndex(images);
      await writeOciLayout(dir, { latest: index });
      const amd64 = images[0]!;
      const swapped = Buffer.from(amd64.manifest.toString().replace('{', '{ '));
      await writeFile(blobPath(dir, amd64.descriptor.digest), swapped);
    },
  }),
];
