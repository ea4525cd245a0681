/**
 * The corpus's baseline image and the writer every image case goes through: an OCI layout
 * whose config, manifest, index.json and stored blobs can each be bent by a hook, with the
 * digests above a bent document recomputed (or not) as the case needs.
 *
 * The baseline passes `pipeline run`'s default policy with the example advisories: Debian 12,
 * packages without advisories, a non-root user and a HEALTHCHECK. So a command that exits
 * non-zero on a case does so because of the case, not because of the image around it.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Digest, type Digest } from '../../../shared/image/digest';
import type { Descriptor } from '../../../shared/image/manifest';
import { MediaType } from '../../../shared/image/media-types';
import { compress, tarOf, type Compression, type FileSpec } from '../image-builder';

export const OS_RELEASE =
  'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\n' +
  'VERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n';

export const DPKG_STATUS = [
  'Package: base-files\nStatus: install ok installed\nPriority: required\nArchitecture: amd64\nVersion: 12.4+deb12u7\n',
  'Package: tzdata\nStatus: install ok installed\nPriority: required\nArchitecture: all\nVersion: 2024a-0+deb12u1\n',
].join('\n');

/** The baseline's first layer: an OS and its package database. */
export const BASE_FILES: Record<string, FileSpec> = {
  'etc/': { type: 'dir' },
  'etc/os-release': OS_RELEASE,
  'var/': { type: 'dir' },
  'var/lib/': { type: 'dir' },
  'var/lib/dpkg/': { type: 'dir' },
  'var/lib/dpkg/status': DPKG_STATUS,
};

/** The baseline's second layer: an application file. */
export const APP_FILES: Record<string, FileSpec> = {
  'app/': { type: 'dir' },
  'app/hello.txt': 'hello\n',
};

const LAYER_TYPES: Record<Compression, string> = {
  gzip: MediaType.ociLayerGzip,
  zstd: MediaType.ociLayerZstd,
  none: MediaType.ociLayer,
};

/** A layer blob: in memory, or already written to `file` (big layers; moved into the layout). */
export interface LayerBlob {
  readonly mediaType: string;
  readonly digest: Digest;
  readonly size: number;
  readonly diffId: Digest;
  readonly bytes?: Buffer;
  readonly file?: string;
}

/** A layer from files (or a raw tar), compressed in memory. */
export async function layerOf(
  content: Record<string, FileSpec> | Buffer,
  compression: Compression = 'gzip',
  mediaType = LAYER_TYPES[compression],
): Promise<LayerBlob> {
  const tar = Buffer.isBuffer(content) ? content : await tarOf(content);
  return blobLayer(compress(tar, compression), sha256Digest(tar), mediaType);
}

/** A layer whose stored bytes are `blob` exactly, with the diff_id the config will name. */
export function blobLayer(blob: Buffer, diffId: Digest, mediaType: string): LayerBlob {
  return { mediaType, digest: sha256Digest(blob), size: blob.length, diffId, bytes: blob };
}

/** The baseline's layers, optionally followed by more. */
export async function baseLayers(...more: LayerBlob[]): Promise<LayerBlob[]> {
  return [await layerOf(BASE_FILES), await layerOf(APP_FILES), ...more];
}

/** The baseline's config for `layers`, with `config` merged into its `config` object. */
export function imageConfig(
  layers: readonly LayerBlob[],
  config: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    architecture: 'amd64',
    os: 'linux',
    created: '2026-01-01T00:00:00Z',
    config: {
      User: '1000:1000',
      Env: ['PATH=/usr/local/bin:/usr/bin:/bin'],
      Healthcheck: { Test: ['CMD', '/app/healthcheck'], Interval: 30_000_000_000 },
      ...config,
    },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: layers.map((_, i) => ({ created: '2026-01-01T00:00:00Z', created_by: `layer ${i}` })),
  };
}

/** Bends one stage of {@link writeImage}. An object is written as JSON, a Buffer as is. */
export interface ImageHooks {
  readonly config?: (config: Record<string, unknown>) => unknown;
  readonly configDescriptor?: (descriptor: Descriptor) => Descriptor;
  readonly layerDescriptor?: (descriptor: Descriptor, index: number) => Descriptor;
  readonly manifest?: (manifest: Record<string, unknown>) => unknown;
  readonly manifestDescriptor?: (descriptor: Descriptor) => Descriptor;
  readonly index?: (index: Record<string, unknown>) => unknown;
  /** The bytes stored under a digest; null leaves the blob out. Not called for file layers. */
  readonly stored?: (digest: Digest, bytes: Buffer) => Buffer | null;
}

export interface WrittenImage {
  readonly manifest: Buffer;
  readonly manifestDescriptor: Descriptor;
  readonly config: Buffer;
}

/** Writes an OCI layout of one image tagged `latest` into `dir`. */
export async function writeImage(
  dir: string,
  layers: readonly LayerBlob[],
  options: { config?: Record<string, unknown>; hooks?: ImageHooks } = {},
): Promise<WrittenImage> {
  const hooks = options.hooks ?? {};
  const config = bytesOf((hooks.config ?? same)(options.config ?? imageConfig(layers)));
  const configDescriptor = (hooks.configDescriptor ?? same)(describe(config, MediaType.ociConfig));
  const layerDescriptors = layers.map((l, i) =>
    (hooks.layerDescriptor ?? same)({ mediaType: l.mediaType, digest: l.digest, size: l.size }, i),
  );
  const manifest = bytesOf(
    (hooks.manifest ?? same)({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: configDescriptor,
      layers: layerDescriptors,
    }),
  );
  const blobs = new Map<Digest, Buffer>([
    [sha256Digest(config), config],
    [sha256Digest(manifest), manifest],
  ]);
  for (const layer of layers) if (layer.bytes) blobs.set(layer.digest, layer.bytes);
  await writeBlobs(dir, blobs, hooks.stored);
  for (const layer of layers) if (layer.file) await rename(layer.file, blobPath(dir, layer.digest));
  const manifestDescriptor = (hooks.manifestDescriptor ?? same)(
    describe(manifest, MediaType.ociManifest),
  );
  await writeIndex(dir, (hooks.index ?? same)(indexOf(manifestDescriptor)));
  return { manifest, manifestDescriptor, config };
}

/** index.json listing `descriptor` as `latest`. */
export function indexOf(descriptor: Descriptor): Record<string, unknown> {
  return {
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: [{ ...descriptor, annotations: { 'org.opencontainers.image.ref.name': 'latest' } }],
  };
}

/** Writes `oci-layout` and `index.json` (an object as JSON, a Buffer as is). */
export async function writeIndex(dir: string, index: unknown): Promise<void> {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  await writeFile(join(dir, 'index.json'), bytesOf(index));
}

/** Stores blobs under `blobs/sha256/`, through the `stored` hook when given. */
export async function writeBlobs(
  dir: string,
  blobs: ReadonlyMap<Digest, Buffer>,
  stored?: ImageHooks['stored'],
): Promise<void> {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  for (const [digest, bytes] of blobs) {
    const out = stored ? stored(digest, bytes) : bytes;
    if (out !== null) await writeFile(blobPath(dir, digest), out);
  }
}

export function blobPath(dir: string, digest: Digest): string {
  return join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length));
}

export function describe(bytes: Buffer, mediaType: string): Descriptor {
  return { mediaType, digest: sha256Digest(bytes), size: bytes.length };
}

/** JSON of a value, or the Buffer itself. */
export function bytesOf(value: unknown): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value));
}

/** A `docker save` archive from entries in order (manifest.json among them, as the case wants). */
export async function writeArchive(file: string, entries: Record<string, FileSpec>): Promise<void> {
  await writeFile(file, await tarOf(entries));
}

/** The classic archive entries of an image: `<hex>.json`, `<diffhex>/layer.tar`, manifest.json. */
export async function classicArchiveEntries(
  layerFiles: readonly Record<string, FileSpec>[],
  manifest?: (m: Record<string, unknown>) => unknown,
): Promise<Record<string, FileSpec>> {
  const tars = await Promise.all(layerFiles.map((files) => tarOf(files)));
  const diffIds = tars.map((t) => sha256Digest(t));
  const config = bytesOf(imageConfig(diffIds.map((diffId) => ({ diffId }) as LayerBlob)));
  const configName = `${sha256Digest(config).slice(7)}.json`;
  const layerNames = diffIds.map((d) => `${d.slice(7)}/layer.tar`);
  const entries: Record<string, FileSpec> = { [configName]: config };
  tars.forEach((tar, i) => (entries[layerNames[i]!] = tar));
  const listing = { Config: configName, RepoTags: ['hostile/app:1.0'], Layers: layerNames };
  entries['manifest.json'] = bytesOf([(manifest ?? same)(listing)]);
  return entries;
}

function same<T>(value: T): T {
  return value;
}
