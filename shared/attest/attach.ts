import { parseManifest, type Descriptor } from '../image';
import { MediaType } from '../image';
import { sha256Digest } from '../image';
import type { ManifestBytes } from '../image';
import { referrersTag } from '../registry';
import { attestationTag, type AttestationArtifact, type Blob } from './artifact';

/**
 * Writes artifacts next to an image (a RegistryWriter for blobs and manifests). Adapters: the
 * OCI distribution API (shared/attest/registry-pusher.ts), ECR's API
 * (shared/aws/ecr/artifact-pusher.ts) and an OCI image layout (./oci-layout-pusher.ts).
 */
export interface ArtifactPusher {
  /** Uploads a blob to `repository`; one already there is success. */
  pushBlob(repository: string, blob: Blob): Promise<void>;
  /**
   * Puts manifest bytes, exactly as given, under `reference` (a digest or a tag). `subjectIndexed`
   * is true when the store itself indexes the manifest's `subject` (a registry answering
   * `OCI-Subject`, ECR, a layout), so that no fallback is needed.
   */
  pushManifest(
    repository: string,
    manifest: ManifestBytes,
    reference: string,
  ): Promise<{ readonly subjectIndexed: boolean }>;
  /** The manifest a tag names, or undefined (for the referrers tag schema). @default - not read */
  manifestByTag?(repository: string, tag: string): Promise<ManifestBytes | undefined>;
}

/** Where an attestation went. */
export interface Attached {
  /** The digest of the artifact manifest. */
  readonly digest: string;
  /** `referrers`: the store indexed its subject; `fallback`: the `.att` tag and the referrers tag schema. */
  readonly via: 'referrers' | 'fallback';
}

/**
 * Pushes the artifact's blobs, then its manifest by digest. Where the store did not index the
 * subject (no `OCI-Subject` answer: a registry without the referrers API), the manifest is also
 * tagged `sha256-<hex>.att` and added to the referrers tag schema index `sha256-<hex>`, as the
 * distribution spec asks of clients ("Pushing Manifests with Subject", v1.1).
 */
export async function attachAttestation(
  pusher: ArtifactPusher,
  repository: string,
  artifact: AttestationArtifact,
): Promise<Attached> {
  for (const blob of artifact.blobs) await pusher.pushBlob(repository, blob);
  const { manifest } = artifact;
  const pushed = await pusher.pushManifest(repository, manifest, manifest.digest);
  if (pushed.subjectIndexed) return { digest: manifest.digest, via: 'referrers' };
  await pusher.pushManifest(repository, manifest, attestationTag(artifact.subject.digest));
  await addToReferrersTag(pusher, repository, artifact);
  return { digest: manifest.digest, via: 'fallback' };
}

/**
 * Appends the artifact's descriptor to the index tagged `<alg>-<hex>` (a new one when there is
 * none, nothing when it is listed already). Not atomic: two writers at once may lose one entry,
 * which the `.att` tag still finds. A tag naming something other than an index is left alone
 * (the spec: report it and skip); the `.att` tag is there all the same.
 */
async function addToReferrersTag(
  pusher: ArtifactPusher,
  repository: string,
  artifact: AttestationArtifact,
): Promise<void> {
  if (pusher.manifestByTag === undefined) return;
  const tag = referrersTag(artifact.subject.digest);
  const current = await pusher.manifestByTag(repository, tag);
  const listed = current === undefined ? [] : referrersOf(current, repository, tag);
  if (listed === undefined || listed.some((d) => d.digest === artifact.descriptor.digest)) return;
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: [...listed, artifact.descriptor],
    }),
  );
  await pusher.pushManifest(
    repository,
    { digest: sha256Digest(bytes), mediaType: MediaType.ociIndex, bytes },
    tag,
  );
}

/** The index's descriptors; undefined when the tag names something else (left alone, per the spec). */
function referrersOf(
  index: ManifestBytes,
  repository: string,
  tag: string,
): readonly Descriptor[] | undefined {
  const parsed = parseManifest(
    index.bytes,
    index.mediaType,
    `referrers index ${repository}:${tag}`,
  );
  return parsed.kind === 'index' ? parsed.index.manifests : undefined;
}
