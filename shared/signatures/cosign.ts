import { constants, verify } from 'node:crypto';
import { isObject } from '../core';
import type { VerificationKey } from './keys';

/** One signature of cosign's layout: a simple-signing payload and its base64 signature. */
export interface CosignSignature {
  /** The layer blob (`application/vnd.dev.cosign.simplesigning.v1+json`), as stored. */
  readonly payload: Buffer;
  /** The layer's `dev.cosignproject.cosign/signature` annotation. */
  readonly signature: string;
}

export type SignatureCheck =
  | { readonly status: 'valid'; readonly keyId: string }
  | { readonly status: 'invalid'; readonly reason: string };

/** What a report says about an image's signatures. */
export interface SignatureReport {
  /** `signed` by one of the keys, `unsigned` when no signature was found, else `invalid`. */
  readonly status: 'signed' | 'unsigned' | 'invalid';
  /** The key that verified it, when signed. */
  readonly keyId: string | null;
  /** Why each signature found did not verify. */
  readonly problems: readonly string[];
}

const SIMPLE_SIGNING_TYPE = 'cosign container image signature';

/**
 * Checks one cosign signature (https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md):
 * the payload must be simple-signing JSON whose `critical.image.docker-manifest-digest` is the
 * image's digest, and the signature, over the payload's exact bytes, must verify with one of
 * `keys` (ECDSA P-256 with SHA-256, DER-encoded; RSA PKCS#1 v1.5 or PSS with SHA-256).
 */
export function checkSignature(
  signature: CosignSignature,
  keys: readonly VerificationKey[],
  imageDigest: string,
): SignatureCheck {
  const signed = signedDigest(signature.payload);
  if (signed.startsWith('!')) return { status: 'invalid', reason: signed.slice(1) };
  if (signed !== imageDigest)
    return { status: 'invalid', reason: `the signature is for ${signed}, not ${imageDigest}` };
  const bytes = Buffer.from(signature.signature, 'base64');
  const key = keys.find((k) => verifies(k, signature.payload, bytes));
  return key === undefined
    ? { status: 'invalid', reason: 'the signature does not verify with any of the keys' }
    : { status: 'valid', keyId: key.id };
}

/** The report over every signature found: one valid is enough; none found is unsigned. */
export function signatureReport(checks: readonly SignatureCheck[]): SignatureReport {
  const valid = checks.find((c) => c.status === 'valid');
  const problems = checks.flatMap((c) => (c.status === 'invalid' ? [c.reason] : []));
  if (valid !== undefined) return { status: 'signed', keyId: valid.keyId, problems };
  return { status: checks.length === 0 ? 'unsigned' : 'invalid', keyId: null, problems };
}

/** The digest the payload signs, or `!` and why it is not a simple-signing payload. */
function signedDigest(payload: Buffer): string {
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch {
    return '!the payload is not JSON';
  }
  const critical = isObject(json) && isObject(json.critical) ? json.critical : undefined;
  if (critical?.type !== SIMPLE_SIGNING_TYPE)
    return '!the payload is not a cosign simple-signing payload';
  const image = isObject(critical.image) ? critical.image : undefined;
  const digest = image?.['docker-manifest-digest'];
  return typeof digest === 'string' ? digest : '!the payload names no docker-manifest-digest';
}

function verifies({ key }: VerificationKey, payload: Buffer, signature: Buffer): boolean {
  try {
    if (key.asymmetricKeyType === 'ec')
      return verify('sha256', payload, { key, dsaEncoding: 'der' }, signature);
    return (
      verify('sha256', payload, { key, padding: constants.RSA_PKCS1_PADDING }, signature) ||
      verify('sha256', payload, { key, padding: constants.RSA_PKCS1_PSS_PADDING }, signature)
    );
  } catch {
    return false;
  }
}
