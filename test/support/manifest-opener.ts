import type { Readable } from 'node:stream';
import { ImageNotFoundError } from '../../shared/image/errors';
import { MediaType } from '../../shared/image/media-types';
import type { ManifestBytes } from '../../shared/image/source';
import type { ImageSource } from '../../shared/image/source';
import type { ImageOpener } from '../../shared/pipeline/ports';
import type { ImageTarget } from '../../shared/pipeline/states';

/** A single-platform image's manifest: what a digest this opener was not told about holds. */
export const IMAGE_MANIFEST = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: {
      mediaType: MediaType.ociConfig,
      digest: `sha256:${'a'.repeat(64)}`,
      size: 2,
    },
    layers: [{ mediaType: MediaType.ociLayerGzip, digest: `sha256:${'b'.repeat(64)}`, size: 3 }],
  }),
);

/**
 * Opens images whose manifests it holds by digest (StartScan reads only the root manifest): an
 * image manifest for any digest it was not given, a failure for those it was told to fail.
 */
export class ManifestOpener implements ImageOpener {
  readonly manifests = new Map<string, Buffer | Error>();
  opened = 0;

  set(digest: string, manifest: Buffer | Error): this {
    this.manifests.set(digest, manifest);
    return this;
  }

  open(image: ImageTarget): Promise<ImageSource> {
    this.opened += 1;
    const held = this.manifests.get(image.digest) ?? IMAGE_MANIFEST;
    const source: ImageSource = {
      reference: `${image.registry}/${image.repository}@${image.digest}`,
      resolveRoot: (): Promise<ManifestBytes> =>
        held instanceof Error
          ? Promise.reject(held)
          : Promise.resolve({ digest: image.digest, mediaType: mediaTypeOf(held), bytes: held }),
      fetchManifest: () => Promise.reject(new ImageNotFoundError('not held')),
      openBlob: (): Promise<Readable> => Promise.reject(new ImageNotFoundError('not held')),
      close: () => Promise.resolve(),
    };
    return Promise.resolve(source);
  }
}

function mediaTypeOf(bytes: Buffer): string {
  return (JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType ?? '';
}
