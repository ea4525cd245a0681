/**
 * Cosign signatures pushed to a test registry in cosign's tag layout (`sha256-<hex>.sig`), as
 * https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md lays them out.
 */
import { sign, type KeyObject } from 'node:crypto';
import { sha256Digest } from '../../shared/image/digest';
import { COSIGN_SIGNATURE_ANNOTATION, SIMPLE_SIGNING_MEDIA_TYPE } from '../../shared/signatures';
import { pushBlob, pushManifest } from './push';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** A simple-signing payload for `digest`. */
export function simpleSigningPayload(digest: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': 'registry/app' },
        image: { 'docker-manifest-digest': digest },
        type: 'cosign container image signature',
      },
      optional: null,
    }),
  );
}

/** Signs `digest` with `key` (ECDSA, DER) and pushes the signature manifest beside the image. */
export async function pushCosignSignature(
  host: string,
  repository: string,
  digest: string,
  key: KeyObject,
): Promise<void> {
  const payload = simpleSigningPayload(digest);
  const signature = sign('sha256', payload, { key, dsaEncoding: 'der' }).toString('base64');
  const config = Buffer.from('{}');
  await pushBlob(host, repository, config);
  await pushBlob(host, repository, payload);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: sha256Digest(config),
        size: config.length,
      },
      layers: [
        {
          mediaType: SIMPLE_SIGNING_MEDIA_TYPE,
          digest: sha256Digest(payload),
          size: payload.length,
          annotations: { [COSIGN_SIGNATURE_ANNOTATION]: signature },
        },
      ],
    }),
  );
  const tag = `${digest.replace(':', '-')}.sig`;
  await pushManifest(host, repository, tag, manifest, OCI_MANIFEST);
}
