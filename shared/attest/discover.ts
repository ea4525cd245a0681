import type { Digest } from '../image';
import { DigestMismatchError, SizeMismatchError } from '../image';
import { parseManifest, type Descriptor } from '../image';
import { readBlob, type ImageSource, type ManifestBytes } from '../image';
import type { ReferrersOptions } from '../registry';
import { attestationTag, DSSE_MEDIA_TYPE } from './artifact';
import type { FoundEnvelope } from './verdict';

/** Where attestations are looked for: a registry (RegistrySource) or an OCI layout (OciLayoutSource). */
export interface AttestationSource extends ImageSource {
  listReferrers(digest: Digest, options?: ReferrersOptions): Promise<Descriptor[]>;
  /** The manifest a tag names, or undefined; absent where tags do not apply. */
  manifestByTag?(tag: string): Promise<ManifestBytes | undefined>;
}

/** Envelopes are a few KiB; anything much larger is not one of ours. */
const MAX_ENVELOPE_BYTES = 1024 * 1024;

/**
 * The DSSE envelopes attached to `digest`: the referrers of artifact type DSSE (the referrers
 * API, else the referrers tag schema, or a layout's index), and the manifest tagged
 * `sha256-<hex>.att`. Only manifests whose `subject` is `digest` count; each DSSE layer's blob
 * is read and checked against its digest.
 */
export async function findAttestations(
  source: AttestationSource,
  digest: Digest,
): Promise<FoundEnvelope[]> {
  const manifests = new Map<string, ManifestBytes>();
  for (const referrer of await source.listReferrers(digest, { artifactType: DSSE_MEDIA_TYPE }))
    if (!manifests.has(referrer.digest))
      manifests.set(referrer.digest, await source.fetchManifest(referrer));
  const tagged = await source.manifestByTag?.(attestationTag(digest));
  if (tagged !== undefined && !manifests.has(tagged.digest)) manifests.set(tagged.digest, tagged);
  const found: FoundEnvelope[] = [];
  for (const manifest of manifests.values())
    found.push(...(await envelopesOf(source, manifest, digest)));
  return found;
}

async function envelopesOf(
  source: ImageSource,
  manifest: ManifestBytes,
  digest: Digest,
): Promise<FoundEnvelope[]> {
  const parsed = parseManifest(
    manifest.bytes,
    manifest.mediaType,
    `attestation ${manifest.digest}`,
  );
  if (parsed.kind !== 'manifest' || parsed.manifest.subject?.digest !== digest) return [];
  const found: FoundEnvelope[] = [];
  for (const layer of parsed.manifest.layers) {
    if (layer.mediaType !== DSSE_MEDIA_TYPE) continue;
    found.push(await readEnvelope(source, layer, manifest.digest));
  }
  return found;
}

/** The envelope's bytes; one that is not what its digest says is found damaged, not skipped. */
async function readEnvelope(
  source: ImageSource,
  layer: Descriptor,
  attestation: string,
): Promise<FoundEnvelope> {
  try {
    const bytes = await readBlob(source, layer, MAX_ENVELOPE_BYTES, `envelope ${layer.digest}`);
    return { attestation, bytes };
  } catch (error) {
    if (error instanceof DigestMismatchError || error instanceof SizeMismatchError)
      return { attestation, bytes: Buffer.alloc(0), damaged: error.message };
    throw error;
  }
}
