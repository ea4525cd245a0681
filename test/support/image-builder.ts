/**
 * Builds container images in memory from file maps, and writes them as OCI layouts and docker
 * archives. Tests start from these; the real-Debian integration test covers what they cannot.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { pack, type Header } from 'tar-stream';

type HeaderArgument = Partial<Header> & Pick<Header, 'name'>;
import { sha256Digest, type Digest } from '../../shared/image/digest';
import { MediaType } from '../../shared/image/media-types';
import type { Descriptor, Platform } from '../../shared/image/manifest';

export type Compression = 'gzip' | 'zstd' | 'none';

export type FileSpec =
  | string
  | Buffer
  | { type: 'dir'; mode?: number }
  | { type: 'symlink' | 'link'; linkname: string }
  | { type: 'char' | 'block' | 'fifo' }
  | { type: 'file'; content: string | Buffer; mode?: number };

export interface LayerSpec {
  /** Paths (relative, as in a layer tar) to contents; order is kept. */
  readonly files?: Record<string, FileSpec>;
  /** The raw tar instead of `files`, for malformed-input tests. */
  readonly tar?: Buffer;
  readonly compression?: Compression;
  /** Overrides the media type the compression implies. */
  readonly mediaType?: string;
}

export interface ImageSpec {
  readonly layers: readonly LayerSpec[];
  readonly platform?: Platform;
  /** Docker v2 schema 2 media types instead of OCI ones. */
  readonly docker?: boolean;
  /** Merged into the config's `config` object. */
  readonly config?: Record<string, unknown>;
  readonly history?: readonly Record<string, unknown>[];
  /** Replaces rootfs.diff_ids (for mismatch tests). */
  readonly diffIds?: readonly string[];
}

export interface BuiltLayer {
  readonly descriptor: Descriptor;
  readonly diffId: Digest;
  /** The uncompressed tar. */
  readonly tar: Buffer;
  /** The blob as stored: the tar, compressed. */
  readonly blob: Buffer;
}

export interface BuiltImage {
  readonly kind: 'manifest';
  readonly descriptor: Descriptor;
  readonly manifest: Buffer;
  readonly config: Buffer;
  readonly configDescriptor: Descriptor;
  readonly layers: readonly BuiltLayer[];
  /** Every blob by digest: config and layers. */
  readonly blobs: Map<Digest, Buffer>;
}

export interface BuiltIndex {
  readonly kind: 'index';
  readonly descriptor: Descriptor;
  readonly index: Buffer;
  readonly images: readonly BuiltImage[];
  /** Every blob (child manifests too) by digest. */
  readonly blobs: Map<Digest, Buffer>;
}

export type BuiltRoot = BuiltImage | BuiltIndex;

const LAYER_TYPES: Record<Compression, { oci: string; docker: string }> = {
  gzip: { oci: MediaType.ociLayerGzip, docker: MediaType.dockerLayerGzip },
  zstd: { oci: MediaType.ociLayerZstd, docker: MediaType.dockerLayerZstd },
  none: { oci: MediaType.ociLayer, docker: MediaType.dockerLayer },
};

export async function buildImage(spec: ImageSpec): Promise<BuiltImage> {
  const layers = await Promise.all(spec.layers.map((l) => buildLayer(l, spec.docker ?? false)));
  const platform = spec.platform ?? { os: 'linux', architecture: 'amd64' };
  const config = json({
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant !== undefined && { variant: platform.variant }),
    created: '2026-01-01T00:00:00Z',
    config: { Env: ['PATH=/usr/bin:/bin'], ...spec.config },
    rootfs: { type: 'layers', diff_ids: spec.diffIds ?? layers.map((l) => l.diffId) },
    history:
      spec.history ??
      layers.map((_, i) => ({ created: '2026-01-01T00:00:00Z', created_by: `layer ${i}` })),
  });
  const configDescriptor = descriptorOf(
    config,
    spec.docker ? MediaType.dockerConfig : MediaType.ociConfig,
  );
  const mediaType = spec.docker ? MediaType.dockerManifest : MediaType.ociManifest;
  const manifest = json({
    schemaVersion: 2,
    mediaType,
    config: configDescriptor,
    layers: layers.map((l) => l.descriptor),
  });
  const blobs = new Map<Digest, Buffer>([[configDescriptor.digest, config]]);
  for (const layer of layers) blobs.set(layer.descriptor.digest, layer.blob);
  return {
    kind: 'manifest',
    descriptor: { ...descriptorOf(manifest, mediaType), platform },
    manifest,
    config,
    configDescriptor,
    layers,
    blobs,
  };
}

/** A multi-platform index over `images`, optionally with a BuildKit attestation manifest per image. */
export async function buildIndex(
  images: readonly BuiltImage[],
  options: { attestation?: boolean; docker?: boolean } = {},
): Promise<BuiltIndex> {
  const blobs = new Map<Digest, Buffer>();
  const manifests: Descriptor[] = [];
  const all = [...images];
  for (const image of images) {
    manifests.push(image.descriptor);
    if (options.attestation) {
      const att = await buildImage({
        layers: [
          { files: { 'provenance.json': '{"predicateType":"https://slsa.dev/provenance/v0.2"}' } },
        ],
        platform: { os: 'unknown', architecture: 'unknown' },
      });
      manifests.push({
        ...att.descriptor,
        annotations: {
          'vnd.docker.reference.type': 'attestation-manifest',
          'vnd.docker.reference.digest': image.descriptor.digest,
        },
      });
      all.push(att);
    }
  }
  for (const image of all) {
    blobs.set(image.descriptor.digest, image.manifest);
    for (const [d, b] of image.blobs) blobs.set(d, b);
  }
  const mediaType = options.docker ? MediaType.dockerManifestList : MediaType.ociIndex;
  const index = json({ schemaVersion: 2, mediaType, manifests });
  return { kind: 'index', descriptor: descriptorOf(index, mediaType), index, images, blobs };
}

/** The root document's bytes: the manifest or the index. */
export function rootBytes(root: BuiltRoot): Buffer {
  return root.kind === 'index' ? root.index : root.manifest;
}

/** Writes an OCI image layout with `root` tagged `tag` (annotation `org.opencontainers.image.ref.name`). */
export async function writeOciLayout(
  dir: string,
  roots: Readonly<Record<string, BuiltRoot>>,
): Promise<void> {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(dir, 'oci-layout'), json({ imageLayoutVersion: '1.0.0' }));
  const manifests: Descriptor[] = [];
  for (const [tag, root] of Object.entries(roots)) {
    await writeBlob(dir, root.descriptor.digest, rootBytes(root));
    for (const [digest, bytes] of root.blobs) await writeBlob(dir, digest, bytes);
    const { platform: _platform, ...descriptor } = root.descriptor;
    manifests.push({ ...descriptor, annotations: { 'org.opencontainers.image.ref.name': tag } });
  }
  await writeFile(
    join(dir, 'index.json'),
    json({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests }),
  );
}

/**
 * Writes a `docker save` tarball: manifest.json, `<hex>.json` config, `<hex>/layer.tar` layers
 * (uncompressed, as classic Docker writes them, unless `keepCompressed` stores the blobs as is).
 */
export async function writeDockerArchive(
  file: string,
  image: BuiltImage,
  options: { repoTags?: string[]; keepCompressed?: boolean } = {},
): Promise<void> {
  const configName = `${hexOf(image.configDescriptor.digest)}.json`;
  const entries: [string, Buffer][] = [[configName, image.config]];
  const layerNames = image.layers.map((layer) => {
    const name = options.keepCompressed
      ? `blobs/sha256/${hexOf(layer.descriptor.digest)}`
      : `${hexOf(layer.diffId)}/layer.tar`;
    entries.push([name, options.keepCompressed ? layer.blob : layer.tar]);
    return name;
  });
  const manifest = [
    { Config: configName, RepoTags: options.repoTags ?? ['example/app:1.0'], Layers: layerNames },
  ];
  entries.push(['manifest.json', json(manifest)]);
  await writeFile(file, await tarOf(Object.fromEntries(entries)));
}

/** A tar of `files`, in order. Directories, links and devices from {@link FileSpec}. */
export async function tarOf(files: Record<string, FileSpec>): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const done = new Promise<void>((resolve, reject) => p.on('end', resolve).on('error', reject));
  for (const [name, spec] of Object.entries(files)) {
    const { header, body } = entryOf(name, spec);
    if (body === undefined) p.entry(header);
    else p.entry(header, body);
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

export function compress(tar: Buffer, compression: Compression): Buffer {
  if (compression === 'gzip') return gzipSync(tar);
  if (compression === 'zstd') return zstdCompressSync(tar);
  return tar;
}

export function descriptorOf(bytes: Buffer, mediaType: string): Descriptor {
  return { mediaType, digest: sha256Digest(bytes), size: bytes.length };
}

async function buildLayer(spec: LayerSpec, docker: boolean): Promise<BuiltLayer> {
  const tar = spec.tar ?? (await tarOf(spec.files ?? {}));
  const compression = spec.compression ?? 'gzip';
  const blob = compress(tar, compression);
  const mediaType = spec.mediaType ?? LAYER_TYPES[compression][docker ? 'docker' : 'oci'];
  return { descriptor: descriptorOf(blob, mediaType), diffId: sha256Digest(tar), tar, blob };
}

function entryOf(name: string, spec: FileSpec): { header: HeaderArgument; body?: Buffer | string } {
  const mtime = new Date('2026-01-01T00:00:00Z');
  if (typeof spec === 'string' || Buffer.isBuffer(spec))
    return { header: { name, mode: 0o644, mtime }, body: spec };
  switch (spec.type) {
    case 'file':
      return { header: { name, mode: spec.mode ?? 0o644, mtime }, body: spec.content };
    case 'dir':
      return { header: { name, type: 'directory', mode: spec.mode ?? 0o755, mtime } };
    case 'symlink':
    case 'link':
      return { header: { name, type: spec.type, linkname: spec.linkname, mtime } };
    case 'char':
    case 'block':
    case 'fifo':
      return {
        header: {
          name,
          type:
            spec.type === 'char'
              ? 'character-device'
              : spec.type === 'block'
                ? 'block-device'
                : 'fifo',
          mtime,
        },
      };
  }
}

async function writeBlob(dir: string, digest: Digest, bytes: Buffer): Promise<void> {
  await writeFile(join(dir, 'blobs', 'sha256', hexOf(digest)), bytes);
}

function hexOf(digest: Digest): string {
  return digest.slice(digest.indexOf(':') + 1);
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}
