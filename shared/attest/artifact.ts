import { sha256Digest, type Digest } from '../image';
import type { Descriptor } from '../image';
import { MediaType } from '../image';
import type { ManifestBytes } from '../image';
import { IN_TOTO_PAYLOAD_TYPE, VERDICT_PREDICATE_TYPE } from './statement';

/*
 * The attestation as an OCI 1.1 artifact (image-spec manifest.md, "Guidelines for Artifact
 * Usage"): an image manifest whose `artifactType` says what it is, whose config is the empty
 * descriptor, whose one layer is the DSSE envelope, and whose `subject` is the image's root
 * manifest or index, so that the referrers API (or its fallbacks) finds it from the image digest.
 */

/** The envelope's media type, and the artifact's type: a DSSE envelope (JSON). */
export const DSSE_MEDIA_TYPE = 'application/vnd.dsse.envelope.v1+json';
/** The layer annotation naming the in-toto predicate type (as Docker's and cosign's attestations do). */
export const PREDICATE_TYPE_ANNOTATION = 'in-toto.io/predicate-type';
/** The image-spec annotation of when the artifact was made. */
export const CREATED_ANNOTATION = 'org.opencontainers.image.created';

/** The empty JSON object `{}`, the OCI empty descriptor's content (image-spec manifest.md). */
export const EMPTY_JSON = Buffer.from('{}');
export const EMPTY_DESCRIPTOR: Descriptor = {
  mediaType: MediaType.ociEmpty,
  digest: sha256Digest(EMPTY_JSON),
  size: EMPTY_JSON.length,
};

/** A blob to upload: its digest and its bytes. */
export interface Blob {
  readonly digest: Digest;
  readonly bytes: Buffer;
}

/** The manifest and blobs of one attestation, ready to push. */
export interface AttestationArtifact {
  /** The artifact manifest's exact bytes (its digest names the attestation). */
  readonly manifest: ManifestBytes;
  /** The empty config and the envelope, to upload before the manifest. */
  readonly blobs: readonly Blob[];
  /** The manifest's descriptor as a referrers list holds it (artifactType and annotations copied). */
  readonly descriptor: Descriptor;
  /** The image it is about. */
  readonly subject: Descriptor;
}

/** The artifact holding `envelope` (its JSON bytes) about `subject`, made at `created`. */
export function attestationArtifact(
  envelope: Buffer,
  subject: Descriptor,
  created: string,
): AttestationArtifact {
  const layer: Descriptor = {
    mediaType: DSSE_MEDIA_TYPE,
    digest: sha256Digest(envelope),
    size: envelope.length,
    annotations: { [PREDICATE_TYPE_ANNOTATION]: VERDICT_PREDICATE_TYPE },
  };
  const annotations = {
    [CREATED_ANNOTATION]: created,
    'dev.clearance.payload-type': IN_TOTO_PAYLOAD_TYPE,
  };
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      artifactType: DSSE_MEDIA_TYPE,
      config: EMPTY_DESCRIPTOR,
      layers: [layer],
      subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
      annotations,
    }),
  );
  const manifest: ManifestBytes = {
    digest: sha256Digest(bytes),
    mediaType: MediaType.ociManifest,
    bytes,
  };
  return {
    manifest,
    blobs: [
      { digest: EMPTY_DESCRIPTOR.digest, bytes: EMPTY_JSON },
      { digest: layer.digest, bytes: envelope },
    ],
    descriptor: {
      mediaType: manifest.mediaType,
      digest: manifest.digest,
      size: bytes.length,
      artifactType: DSSE_MEDIA_TYPE,
      annotations,
    },
    subject,
  };
}

/** `sha256-<hex>.att`: the tag under which the attestation is found where no referrers API is. */
export function attestationTag(digest: Digest): string {
  return `${digest.replace(':', '-')}.att`;
}
