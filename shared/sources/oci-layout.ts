import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { parseDigest, type Digest } from '../image/digest';
import {
  ImageNotFoundError,
  InvalidImageLayoutError,
  ManifestTooLargeError,
} from '../image/errors';
import { MAX_MANIFEST_BYTES, parseManifest, type Descriptor } from '../image/manifest';
import { formatImageReference, type OciLayoutReference } from '../image/reference';
import { readManifest, verifiedBlob, type ImageSource, type ManifestBytes } from '../image/source';
import type { ReferrersOptions } from '../registry/referrers';
import { referrersIn } from './layout-referrers';

const REF_NAME = 'org.opencontainers.image.ref.name';
const STREAM_CHUNK = 1 << 20;

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
    const path = this.blobPath(descriptor.digest);
    const handle = await open(path).catch((cause: unknown) => {
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
    const marker = await readFile(layoutFile, 'utf8').catch((cause: unknown) => {
      throw new InvalidImageLayoutError(
        `${this.ref.path} is not an OCI image layout: cannot read oci-layout`,
        { cause },
      );
    });
    if (!marker.includes('imageLayoutVersion'))
      throw new InvalidImageLayoutError(`${layoutFile} has no imageLayoutVersion`);
    const what = `index.json of ${this.ref.path}`;
    const bytes = await readFile(join(this.ref.path, 'index.json')).catch((cause: unknown) => {
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
    const handle = await open(this.blobPath(digest)).catch((cause: unknown) => {
      throw new ImageNotFoundError(`${what} is missing from ${this.ref.path}`, { cause });
    });
    try {
      const { size } = await handle.stat();
      if (size > limit) throw new ManifestTooLargeError(what, limit);
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  private blobPath(digest: Digest): string {
    const { algorithm, hex } = parseDigest(digest);
    return join(this.ref.path, 'blobs', algorithm, hex);
  }
}
