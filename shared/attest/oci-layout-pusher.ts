import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDigest, parseDigest, verifyBytes } from '../image';
import { parseManifest, type Descriptor, type ImageIndex } from '../image';
import { MediaType } from '../image';
import type { ManifestBytes } from '../image';
import type { Blob } from './artifact';
import type { ArtifactPusher } from './attach';
import { AttestError } from './errors';

const LAYOUT_FILE = JSON.stringify({ imageLayoutVersion: '1.0.0' });
const REF_NAME = 'org.opencontainers.image.ref.name';

/**
 * The ArtifactPusher of an OCI image layout directory (image-spec image-layout.md): blobs under
 * `blobs/<alg>/<hex>`, and each artifact manifest listed in `index.json` with its
 * `artifactType`, where OciLayoutSource.listReferrers finds it by its `subject`. An artifact
 * replaces the earlier one of the same type about the same image (its index entry and blobs),
 * so repeated runs leave one attestation per image. The directory (with `oci-layout` and an
 * empty index) is made when missing. Writes are atomic (temporary file, then rename); two
 * writers at once may still lose an index entry.
 */
export class OciLayoutArtifactPusher implements ArtifactPusher {
  constructor(private readonly path: string) {}

  async pushBlob(_repository: string, blob: Blob): Promise<void> {
    verifyBytes(blob.bytes, blob.digest, `blob ${blob.digest} for ${this.path}`);
    await this.writeBlob(blob.digest, blob.bytes);
  }

  /** The manifest's blob, and its entry in index.json (a tag becomes its ref.name). */
  async pushManifest(
    _repository: string,
    manifest: ManifestBytes,
    reference: string,
  ): Promise<{ subjectIndexed: boolean }> {
    await this.writeBlob(manifest.digest, manifest.bytes);
    const parsed = parseManifest(manifest.bytes, manifest.mediaType, `manifest ${manifest.digest}`);
    const artifactType = parsed.kind === 'manifest' ? parsed.manifest.artifactType : undefined;
    const subject = parsed.kind === 'manifest' ? parsed.manifest.subject?.digest : undefined;
    const entry: Descriptor = {
      mediaType: manifest.mediaType,
      digest: manifest.digest,
      size: manifest.bytes.length,
      ...(artifactType !== undefined && { artifactType }),
      ...(!isDigest(reference) && { annotations: { [REF_NAME]: reference } }),
    };
    const index = await this.readIndex();
    const replaced = await this.replacedBy(index.manifests, entry, subject);
    const kept = index.manifests.filter((d) => d.digest !== entry.digest && !replaced.includes(d));
    await this.writeIndex({ ...index, manifests: [...kept, entry] });
    for (const old of replaced) await this.removeArtifact(old);
    return { subjectIndexed: true };
  }

  /** Entries of the same artifact type about the same subject: what `entry` supersedes. */
  private async replacedBy(
    listed: readonly Descriptor[],
    entry: Descriptor,
    subject: string | undefined,
  ): Promise<Descriptor[]> {
    if (subject === undefined || entry.artifactType === undefined) return [];
    const replaced: Descriptor[] = [];
    for (const d of listed) {
      if (d.artifactType !== entry.artifactType || d.digest === entry.digest) continue;
      const old = await this.manifestOf(d);
      if (old?.subject?.digest === subject) replaced.push(d);
    }
    return replaced;
  }

  private async manifestOf(d: Descriptor) {
    const bytes = await readFile(this.blobPath(d.digest)).catch(() => undefined);
    if (bytes === undefined) return undefined;
    const parsed = parseManifest(bytes, d.mediaType, `manifest ${d.digest} in ${this.path}`);
    return parsed.kind === 'manifest' ? parsed.manifest : undefined;
  }

  /** The superseded manifest and its layers (the empty config is shared: kept). */
  private async removeArtifact(d: Descriptor): Promise<void> {
    const old = await this.manifestOf(d);
    for (const layer of old?.layers ?? []) await rm(this.blobPath(layer.digest), { force: true });
    await rm(this.blobPath(d.digest), { force: true });
  }

  private async readIndex(): Promise<ImageIndex> {
    await mkdir(this.path, { recursive: true });
    const marker = join(this.path, 'oci-layout');
    if (!(await exists(marker))) await atomicWrite(marker, Buffer.from(LAYOUT_FILE));
    const bytes = await readFile(join(this.path, 'index.json')).catch(() => undefined);
    if (bytes === undefined)
      return { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] };
    const parsed = parseManifest(bytes, MediaType.ociIndex, `index.json of ${this.path}`);
    if (parsed.kind !== 'index')
      throw new AttestError('ATTACH_FAILED', `index.json of ${this.path}: expected an image index`);
    return parsed.index;
  }

  private writeIndex(index: ImageIndex): Promise<void> {
    return atomicWrite(join(this.path, 'index.json'), Buffer.from(JSON.stringify(index)));
  }

  private async writeBlob(digest: string, bytes: Buffer): Promise<void> {
    const path = this.blobPath(digest);
    if (await exists(path)) return;
    await mkdir(join(path, '..'), { recursive: true });
    await atomicWrite(path, bytes);
  }

  private blobPath(digest: string): string {
    const { algorithm, hex } = parseDigest(digest);
    return join(this.path, 'blobs', algorithm, hex);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function atomicWrite(path: string, bytes: Buffer): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, bytes);
  await rename(temporary, path);
}
