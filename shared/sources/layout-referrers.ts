import type { Digest } from '../image';
import { parseManifest, type Descriptor } from '../image';
import { isManifestMediaType } from '../image';
import type { ManifestBytes } from '../image';

/**
 * The image manifests among `listed` whose `subject` is `digest`, each as a descriptor with its
 * `artifactType` (the manifest's, else its config's media type, as the referrers API gives
 * it), keeping only those of `artifactType` when one is asked for.
 */
export async function referrersIn(
  listed: readonly Descriptor[],
  digest: Digest,
  artifactType: string | undefined,
  fetch: (descriptor: Descriptor) => Promise<ManifestBytes>,
): Promise<Descriptor[]> {
  const found: Descriptor[] = [];
  for (const descriptor of listed) {
    if (!isManifestMediaType(descriptor.mediaType) || descriptor.digest === digest) continue;
    if (
      artifactType !== undefined &&
      descriptor.artifactType !== undefined &&
      descriptor.artifactType !== artifactType
    )
      continue;
    const manifest = await fetch(descriptor);
    const parsed = parseManifest(
      manifest.bytes,
      manifest.mediaType,
      `manifest ${descriptor.digest}`,
    );
    if (parsed.kind !== 'manifest' || parsed.manifest.subject?.digest !== digest) continue;
    const type = parsed.manifest.artifactType ?? parsed.manifest.config.mediaType;
    if (artifactType !== undefined && type !== artifactType) continue;
    found.push({ ...descriptor, artifactType: type });
  }
  return found;
}
