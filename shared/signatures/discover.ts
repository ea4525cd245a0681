import type { Digest } from '../image';
import { parseManifest } from '../image';
import { readBlob, type ManifestBytes } from '../image';
import type { RegistrySource } from '../sources';
import type { CosignSignature } from './cosign';

/** The annotation of a cosign signature layer that holds the base64 signature. */
export const COSIGN_SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
/** The artifact type of cosign signatures stored as OCI 1.1 referrers. */
export const COSIGN_ARTIFACT_TYPE = 'application/vnd.dev.cosign.artifact.sig.v1+json';
/** Payloads are a few hundred bytes; anything much larger is not one. */
const MAX_PAYLOAD_BYTES = 64 * 1024;

/**
 * The cosign signatures of `digest` in the source's repository: those stored as OCI 1.1
 * referrers, and those of the `sha256-<hex>.sig` tag that cosign writes by default. Each
 * signature layer's blob is its payload, read and verified against the layer's digest.
 */
export async function findSignatures(
  source: RegistrySource,
  digest: Digest,
): Promise<CosignSignature[]> {
  const manifests: ManifestBytes[] = [];
  for (const referrer of await source.listReferrers(digest, { artifactType: COSIGN_ARTIFACT_TYPE }))
    manifests.push(await source.fetchManifest(referrer));
  const tagged = await source.manifestByTag(`${digest.replace(':', '-')}.sig`);
  if (tagged !== undefined) manifests.push(tagged);
  const signatures: CosignSignature[] = [];
  for (const manifest of manifests) {
    const parsed = parseManifest(
      manifest.bytes,
      manifest.mediaType,
      `signature manifest ${manifest.digest}`,
    );
    if (parsed.kind !== 'manifest') continue;
    for (const layer of parsed.manifest.layers) {
      const signature = layer.annotations?.[COSIGN_SIGNATURE_ANNOTATION];
      if (layer.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE || signature === undefined) continue;
      const payload = await readBlob(
        source,
        layer,
        MAX_PAYLOAD_BYTES,
        `signature payload ${layer.digest}`,
      );
      signatures.push({ payload, signature });
    }
  }
  return signatures;
}
