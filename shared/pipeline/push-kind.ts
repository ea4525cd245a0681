import { isClearanceError, messageOf } from '../core';
import { classifyManifest, type ArtifactDescription } from '../image';
import type { ImageSource } from '../image';
import type { ImageOpener } from './ports';
import type { ImageTarget } from './states';

/** What a push put into the registry, read from its manifest alone (no blob). */
export type PushKind =
  | { readonly kind: 'image' }
  /** An index, and every manifest it lists: its scan covers them (or skips the artifacts). */
  | { readonly kind: 'index'; readonly manifests: readonly string[] }
  | { readonly kind: 'artifact'; readonly artifact: ArtifactDescription }
  /** The manifest could not be read or classified: ScanImage's Resolve decides, and says why. */
  | { readonly kind: 'unknown'; readonly reason: string };

/**
 * Reads and classifies the manifest a push named (shared/image/artifact.ts): a signature, an
 * attestation, an SBOM, a chart, our own verdict are artifacts; a manifest that is positively an
 * image is one. A transient failure is thrown (the event is retried); another failure to read
 * leaves the decision to the scan, which fails with the reason rather than skip an image.
 */
export async function pushKind(image: ImageTarget, opener: ImageOpener): Promise<PushKind> {
  let source: ImageSource | undefined;
  try {
    source = await opener.open(image);
    const root = await source.resolveRoot();
    const what = `manifest ${image.digest} of ${image.repository}`;
    const hints = image.tag === undefined ? {} : { tag: image.tag };
    const classified = classifyManifest(root.bytes, root.mediaType, what, hints);
    if (classified.kind === 'artifact') return classified;
    if (classified.kind === 'image') return { kind: 'image' };
    return { kind: 'index', manifests: classified.index.manifests.map((d) => d.digest) };
  } catch (error) {
    if (!isClearanceError(error) || error.kind === 'transient') throw error;
    return { kind: 'unknown', reason: messageOf(error) };
  } finally {
    await source?.close();
  }
}
