import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { sha256Digest, type Digest } from '../image';
import { InvalidImageLayoutError, ManifestTooLargeError } from '../image';
import { MAX_CONFIG_BYTES, MAX_MANIFEST_BYTES, parseManifest, type Descriptor } from '../image';
import { MediaType } from '../image';
import { parseImageConfig } from '../image';
import { formatImageReference, type DockerArchiveReference } from '../image';
import { readManifest, verifiedBlob, type ImageSource, type ManifestBytes } from '../image';
import { sniffCompression } from '../layers';
import { indexArchive, type ArchiveEntry } from './archive-index';
import { MAX_INDEX_BYTES } from './oci-layout';

interface ClassicManifest {
  readonly Config: string;
  readonly Layers: readonly string[];
  readonly RepoTags?: readonly string[] | null;
}

const STREAM_CHUNK = 1 << 20;
const SNIFF_BYTES = 4;

/**
 * A `docker save` tarball. Docker 25+ archives hold an OCI layout (index.json, blobs/) and are
 * read as one; older ones have only manifest.json, from which a Docker v2 manifest is
 * synthesised (its digest is then ours, not a registry's). Blobs are read in place, by offset.
 */
export class DockerArchiveSource implements ImageSource {
  readonly reference: string;
  private entries?: Promise<Map<string, ArchiveEntry>>;
  /** Blob digest → path inside the archive. */
  private readonly blobPaths = new Map<Digest, string>();
  private synthesised?: ManifestBytes;

  constructor(private readonly ref: DockerArchiveReference) {
    this.reference = formatImageReference(ref);
  }

  async resolveRoot(): Promise<ManifestBytes> {
    if (isOciArchive(await this.index())) return this.ociRoot();
    this.synthesised ??= await this.synthesiseManifest();
    return this.synthesised;
  }

  async fetchManifest(descriptor: Descriptor): Promise<ManifestBytes> {
    const what = `manifest ${descriptor.digest} in ${this.reference}`;
    const path = await this.pathOf(descriptor.digest);
    return readManifest(descriptor, what, (limit) => this.readEntry(path, limit, what));
  }

  async openBlob(descriptor: Descriptor): Promise<Readable> {
    const entry = await this.entry(await this.pathOf(descriptor.digest));
    const stream = entry.size === 0 ? Readable.from([]) : this.stream(entry);
    return verifiedBlob(stream, descriptor, this.reference);
  }

  async close(): Promise<void> {}

  private async ociRoot(): Promise<ManifestBytes> {
    const what = `index.json of ${this.reference}`;
    const parsed = parseManifest(
      await this.readEntry('index.json', MAX_INDEX_BYTES, what),
      undefined,
      what,
    );
    if (parsed.kind !== 'index' || parsed.index.manifests.length !== 1) {
      throw new InvalidImageLayoutError(`${what} must list exactly one image`);
    }
    return this.fetchManifest(parsed.index.manifests[0]!);
  }

  private async synthesiseManifest(): Promise<ManifestBytes> {
    const image = await this.classicManifest();
    const configWhat = `config ${image.Config} in ${this.reference}`;
    const configBytes = await this.readEntry(image.Config, MAX_CONFIG_BYTES, configWhat);
    const diffIds = parseImageConfig(configBytes, configWhat).rootfs.diff_ids;
    if (diffIds.length !== image.Layers.length) {
      throw new InvalidImageLayoutError(
        `${this.reference}: config has ${diffIds.length} diff_ids for ${image.Layers.length} layers`,
      );
    }
    const config = this.register(
      {
        mediaType: MediaType.dockerConfig,
        digest: sha256Digest(configBytes),
        size: configBytes.length,
      },
      image.Config,
    );
    const layers: Descriptor[] = [];
    for (const [i, path] of image.Layers.entries())
      layers.push(this.register(await this.describeLayer(path, diffIds[i]!), path));
    const bytes = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: MediaType.dockerManifest, config, layers }),
    );
    return { digest: sha256Digest(bytes), mediaType: MediaType.dockerManifest, bytes };
  }

  private async classicManifest(): Promise<ClassicManifest> {
    const what = `manifest.json of ${this.reference}`;
    const bytes = await this.readEntry('manifest.json', MAX_MANIFEST_BYTES, what);
    let images: unknown;
    try {
      images = JSON.parse(bytes.toString('utf8'));
    } catch (cause) {
      throw new InvalidImageLayoutError(`${what} is not valid JSON`, { cause });
    }
    if (!Array.isArray(images) || images.length === 0)
      throw new InvalidImageLayoutError(`${what} lists no image`);
    if (images.length > 1) {
      const tags = (images as ClassicManifest[]).flatMap((i) => i.RepoTags ?? []);
      throw new InvalidImageLayoutError(
        `${this.reference} holds ${images.length} images (${tags.join(', ')}); save one image per archive`,
      );
    }
    const image = images[0] as ClassicManifest;
    if (typeof image.Config !== 'string' || !Array.isArray(image.Layers))
      throw new InvalidImageLayoutError(`${what}: Config or Layers missing`);
    return image;
  }

  /** An uncompressed layer's digest is its diff_id; a compressed one is hashed once here. */
  private async describeLayer(path: string, diffId: Digest): Promise<Descriptor> {
    const entry = await this.entry(path);
    const head = await this.readRange(entry.offset, Math.min(SNIFF_BYTES, entry.size));
    const compression = sniffCompression(head);
    if (compression === 'none')
      return { mediaType: MediaType.dockerLayer, digest: diffId, size: entry.size };
    const hash = createHash('sha256');
    for await (const chunk of this.stream(entry)) hash.update(chunk as Buffer);
    const mediaType = compression === 'gzip' ? MediaType.dockerLayerGzip : MediaType.ociLayerZstd;
    return { mediaType, digest: `sha256:${hash.digest('hex')}`, size: entry.size };
  }

  private stream(entry: ArchiveEntry): Readable {
    return createReadStream(this.ref.path, {
      start: entry.offset,
      end: entry.offset + entry.size - 1,
      highWaterMark: STREAM_CHUNK,
    });
  }

  private register(descriptor: Descriptor, path: string): Descriptor {
    this.blobPaths.set(descriptor.digest, path);
    return descriptor;
  }

  /**
   * Where a blob is: an OCI blob path, or a classic archive's file as its synthesised manifest
   * names it. That manifest is made on demand, since a blob may be asked for by the descriptor
   * another opening of the archive resolved (the pipeline opens the image once per layer).
   */
  private async pathOf(digest: Digest): Promise<string> {
    const known = this.blobPaths.get(digest);
    if (known !== undefined) return known;
    const entries = await this.index();
    const ociPath = `blobs/${digest.replace(':', '/')}`;
    if (entries.has(ociPath)) return ociPath;
    if (this.synthesised === undefined && !isOciArchive(entries)) {
      this.synthesised = await this.synthesiseManifest();
      const named = this.blobPaths.get(digest);
      if (named !== undefined) return named;
    }
    throw new InvalidImageLayoutError(`blob ${digest} is not in ${this.reference}`);
  }

  private async entry(path: string): Promise<ArchiveEntry> {
    const entry = (await this.index()).get(path);
    if (entry === undefined) throw new InvalidImageLayoutError(`${this.reference} has no ${path}`);
    return entry;
  }

  private async readEntry(path: string, limit: number, what: string): Promise<Buffer> {
    const entry = await this.entry(path);
    if (entry.size > limit) throw new ManifestTooLargeError(what, limit);
    return this.readRange(entry.offset, entry.size);
  }

  private async readRange(offset: number, length: number): Promise<Buffer> {
    const handle = await open(this.ref.path);
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      if (bytesRead !== length)
        throw new InvalidImageLayoutError(
          `${this.reference} is truncated at byte ${offset + bytesRead}`,
        );
      return buffer;
    } finally {
      await handle.close();
    }
  }

  private index(): Promise<Map<string, ArchiveEntry>> {
    this.entries ??= indexArchive(this.ref.path, this.reference);
    return this.entries;
  }
}

/** Docker 25+ writes an OCI layout into the archive; older versions only manifest.json. */
function isOciArchive(entries: ReadonlyMap<string, ArchiveEntry>): boolean {
  return entries.has('index.json') && entries.has('oci-layout');
}
