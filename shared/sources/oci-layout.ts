import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { isClearanceError } from '../core';
import { parseDigest, type Digest } from '../image';
import { ImageNotFoundError, InvalidImageLayoutError, ManifestTooLargeError } from '../image';
import { MAX_MANIFEST_BYTES, parseManifest, type Descriptor } from '../image';
import { formatImageReference, type OciLayoutReference } from '../image';
import { readManifest, verifiedBlob, type ImageSource, type ManifestBytes } from '../image';
import type { ReferrersOptions } from '../registry';
import { referrersIn } from './layout-referrers';
import { openFileInside, readAtMost } from './local-files';

const REF_NAME = 'org.opencontainers.image.ref.name';
const STREAM_CHUNK = 1 << 20;
/**
 * index.json may list many images and their referrers (signatures, SBOMs, attestations), each
 * a descriptor of a few hundred bytes: 16 MiB holds some 40,000 of them, four times a manifest's
 * cap (MAX_MANIFEST_BYTES), far past any real layout, and still a bounded read.
 */
export const MAX_INDEX_BYTES = 16 * 1024 * 1024;
/** `oci-layout` is `{"imageLayoutVersion": "1.0.0"}`; anything near this size is not one. */
const MAX_LAYOUT_MARKER_BYTES = 64 * 1024;

/** An OCI image layout directory (https://github.com/opencontainers/image-spec/blob/main/image-layout.md). */
export class OciLayoutSource implements ImageSource {
  readonly reference: string;

  constructor(private readonly ref: OciLayoutReference) {
    this.reference = formatImageReference(ref);
  }

  async resolveRoot(): Promise<ManifestBytes> {
    const descriptor = await this.rootDescriptor();
    return this.fetchManifest(descriptor);
  }

  fetchManifest(descriptor: Descriptor): Promise<ManifestBytes> {
    const what = `manifest ${descriptor.digest} in ${this.reference}`;
    return readManifest(descriptor, what, (limit) =>
      this.readSmall(descriptor.digest, limit, what),
    );
  }

  async openBlob(descriptor: Descriptor): Promise<Readable> {
    const what = `blob ${descriptor.digest} of ${this.ref.path}`;
    const handle = await this.openFile(this.blobPath(descriptor.digest), what, (cause) => {
      throw new InvalidImageLayoutError(
        `blob ${descriptor.digest} is missing from ${this.ref.path}`,
        { cause },
      );
    });
    const stream = createReadStream('', { fd: handle, highWaterMark: STREAM_CHUNK });
    return verifiedBlob(stream, descriptor, this.reference);
  }

  async close(): Promise<void> {}

  /**
   * Manifests listed in index.json whose `subject` is `digest` (artifacts about the image: the
   * layout's stand-in for the referrers API), as descriptors carrying their artifact type.
   */
  async listReferrers(digest: Digest, options: ReferrersOptions = {}): Promise<Descriptor[]> {
    const index = await this.readIndex();
    return referrersIn(index.manifests, digest, options.artifactType, (d) => this.fetchManifest(d));
  }

  private async rootDescriptor(): Promise<Descriptor> {
    const index = await this.readIndex();
    const { tag, digest } = this.ref;
    if (digest !== undefined) {
      const listed = index.manifests.find((d) => d.digest === digest);
      return listed ?? (await this.describeUnlisted(digest));
    }
    // Untagged, the image is the one entry that is not an artifact about another (a referrer).
    const tagged = index.manifests.filter((d) =>
      tag === undefined ? d.artifactType === undefined : d.annotations?.[REF_NAME] === tag,
    );
    const names = index.manifests.map((d) => d.annotations?.[REF_NAME] ?? d.digest);
    if (tagged.length === 1) return tagged[0]!;
    if (tag !== undefined)
      throw new ImageNotFoundError(
        `no image tagged "${tag}" in ${this.ref.path}; it has ${names.join(', ') || 'none'}`,
      );
    throw new ImageNotFoundError(
      `${this.ref.path} holds ${tagged.length} images; name one with oci:DIR:TAG (${names.join(', ') || 'none'})`,
    );
  }

  private async readIndex() {
    const layoutFile = join(this.ref.path, 'oci-layout');
    const marker = await this.readFile('oci-layout', MAX_LAYOUT_MARKER_BYTES, (cause) => {
      throw new InvalidImageLayoutError(
        `${this.ref.path} is not an OCI image layout: cannot read oci-layout`,
        { cause },
      );
    });
    if (!marker.toString('utf8').includes('imageLayoutVersion'))
      throw new InvalidImageLayoutError(`${layoutFile} has no imageLayoutVersion`);
    const what = `index.json of ${this.ref.path}`;
    const bytes = await this.readFile('index.json', MAX_INDEX_BYTES, (cause) => {
      throw new InvalidImageLayoutError(`cannot read ${what}`, { cause });
    });
    const parsed = parseManifest(bytes, undefined, what);
    if (parsed.kind !== 'index') throw new InvalidImageLayoutError(`${what} is not an image index`);
    return parsed.index;
  }

  /** A digest not listed in index.json may still name a manifest blob (a child of an index). */
  private async describeUnlisted(digest: Digest): Promise<Descriptor> {
    const what = `manifest ${digest} in ${this.reference}`;
    const bytes = await this.readSmall(digest, MAX_MANIFEST_BYTES, what);
    const parsed = parseManifest(bytes, undefined, what);
    const mediaType = parsed.kind === 'index' ? parsed.index.mediaType : parsed.manifest.mediaType;
    return { mediaType, digest, size: bytes.length };
  }

  private async readSmall(digest: Digest, limit: number, what: string): Promise<Buffer> {
    const handle = await this.openFile(this.blobPath(digest), what, (cause) => {
      throw new ImageNotFoundError(`${what} is missing from ${this.ref.path}`, { cause });
    });
    try {
      return await readAtMost(handle, limit, () => new ManifestTooLargeError(what, limit));
    } finally {
      await handle.close();
    }
  }

  /** A file of the layout, read whole up to `limit` bytes (more fails, naming the file). */
  private async readFile(
    file: 'oci-layout' | 'index.json',
    limit: number,
    missing: (cause: unknown) => never,
  ): Promise<Buffer> {
    const name = `${file} of ${this.ref.path}`;
    const handle = await this.openFile(join(this.ref.path, file), name, missing);
    try {
      return await readAtMost(handle, limit, () => {
        const mib = limit / (1024 * 1024);
        return new InvalidImageLayoutError(
          `${name} is larger than ${mib < 1 ? `${limit} bytes` : `${mib} MiB`}, the limit for it`,
        );
      });
    } finally {
      await handle.close();
    }
  }

  /**
   * A regular file inside the layout (see {@link openFileInside}); `missing` words a failure to
   * open it at all.
   */
  private async openFile(
    path: string,
    what: string,
    missing: (cause: unknown) => never,
  ): Promise<FileHandle> {
    try {
      return await openFileInside(this.ref.path, path, what);
    } catch (error) {
      if (isClearanceError(error)) throw error;
      return missing(error);
    }
  }

  private blobPath(digest: Digest): string {
    const { algorithm, hex } = parseDigest(digest);
    return join(this.ref.path, 'blobs', algorithm, hex);
  }
}
