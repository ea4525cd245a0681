import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseDigest } from '../image';
import { parseManifest, type Descriptor, type ImageIndex, type ImageManifest } from '../image';
import { MediaType } from '../image';
import type { ImageSource, ManifestBytes } from '../image';
import { PipelineError } from '../pipeline';

/*
 * A registry's tag, in an OCI image layout (image-spec image-layout.md): what Promote and a
 * `tag` quarantine do to a local image. The image's manifests and blobs are copied into the
 * layout (streamed, each verified against its digest as it is read; those already there are
 * kept), then index.json names the root manifest with the tag as its
 * `org.opencontainers.image.ref.name`. A tag names one image: an entry with the same name moves.
 */

const REF_NAME = 'org.opencontainers.image.ref.name';
const LAYOUT_FILE = JSON.stringify({ imageLayoutVersion: '1.0.0' });
/** Layers a registry need not hold (foreign, non-distributable): never copied, as in ECR. */
const NON_DISTRIBUTABLE = /nondistributable|foreign/;

/** Copies `root` (read from `source`) into the layout at `dir` and tags it `tag` there. */
export async function copyToLayout(
  source: ImageSource,
  root: ManifestBytes,
  target: { readonly dir: string; readonly tag: string },
): Promise<void> {
  const layout = new LayoutWriter(target.dir);
  await copyManifest(source, root, layout);
  await layout.tag(
    { mediaType: root.mediaType, digest: root.digest, size: root.bytes.length },
    target.tag,
  );
}

/** An image manifest after its blobs, an index after its manifests: never a dangling name. */
async function copyManifest(
  source: ImageSource,
  manifest: ManifestBytes,
  layout: LayoutWriter,
): Promise<void> {
  const parsed = parseManifest(
    manifest.bytes,
    manifest.mediaType,
    `manifest ${manifest.digest} in ${source.reference}`,
  );
  if (parsed.kind === 'index')
    for (const child of parsed.index.manifests)
      await copyManifest(source, await source.fetchManifest(child), layout);
  else await layout.copyBlobs(source, copiedBlobs(parsed.manifest));
  await layout.writeBlob(manifest.digest, manifest.bytes);
}

/** Writes into one layout: blobs by digest, and index.json entries. */
class LayoutWriter {
  constructor(private readonly dir: string) {}

  async copyBlobs(source: ImageSource, blobs: readonly Descriptor[]): Promise<void> {
    for (const blob of blobs) {
      const path = this.blobPath(blob.digest);
      if (await exists(path)) continue;
      await mkdir(dirname(path), { recursive: true });
      const temporary = temporaryOf(path);
      try {
        await pipeline(await source.openBlob(blob), createWriteStream(temporary));
        await rename(temporary, path);
      } finally {
        await rm(temporary, { force: true });
      }
    }
  }

  async writeBlob(digest: string, bytes: Buffer): Promise<void> {
    const path = this.blobPath(digest);
    if (await exists(path)) return;
    await mkdir(dirname(path), { recursive: true });
    await atomicWrite(path, bytes);
  }

  /** Lists `descriptor` in index.json as `tag`, in place of what had that tag. */
  async tag(descriptor: Descriptor, tag: string): Promise<void> {
    const index = await this.readIndex();
    const others = index.manifests.filter((d) => d.annotations?.[REF_NAME] !== tag);
    const entry: Descriptor = { ...descriptor, annotations: { [REF_NAME]: tag } };
    const updated: ImageIndex = { ...index, manifests: [...others, entry] };
    await atomicWrite(join(this.dir, 'index.json'), Buffer.from(JSON.stringify(updated)));
  }

  private async readIndex(): Promise<ImageIndex> {
    await mkdir(this.dir, { recursive: true });
    const marker = join(this.dir, 'oci-layout');
    if (!(await exists(marker))) await atomicWrite(marker, Buffer.from(LAYOUT_FILE));
    const bytes = await readFile(join(this.dir, 'index.json')).catch(() => undefined);
    if (bytes === undefined)
      return { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] };
    const parsed = parseManifest(bytes, MediaType.ociIndex, `index.json of ${this.dir}`);
    if (parsed.kind !== 'index')
      throw new PipelineError(
        'MISCONFIGURED',
        `expected an image index in index.json of ${this.dir}, got a manifest`,
        'input',
      );
    return parsed.index;
  }

  private blobPath(digest: string): string {
    const { algorithm, hex } = parseDigest(digest);
    return join(this.dir, 'blobs', algorithm, hex);
  }
}

/** The blobs a copy of an image manifest carries: its config and its distributable layers. */
export function copiedBlobs(manifest: ImageManifest): Descriptor[] {
  const { config, layers } = manifest;
  return [config, ...layers.filter((layer) => !NON_DISTRIBUTABLE.test(layer.mediaType))];
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function temporaryOf(path: string): string {
  return `${path}.${randomBytes(6).toString('hex')}.tmp`;
}

async function atomicWrite(path: string, bytes: Buffer): Promise<void> {
  const temporary = temporaryOf(path);
  await writeFile(temporary, bytes);
  await rename(temporary, path);
}
