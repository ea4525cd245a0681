import { sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { AttestError } from './errors';
import type { VerificationKey } from './signing-key';

/*
 * Dead Simple Signing Envelope v1.0 (https://github.com/secure-systems-lab/dsse, protocol.md and
 * envelope.md): the signature is over PAE(payloadType, payload), never over a re-encoding of a
 * parsed document, so the verifier checks exactly the bytes it then reads.
 */

/** The DSSE JSON envelope (envelope.md). `payload` and `sig` are base64. */
export interface DsseEnvelope {
  readonly payloadType: string;
  readonly payload: string;
  readonly signatures: readonly { readonly keyid?: string; readonly sig: string }[];
}

/** A verified envelope: its payload bytes and the key that signed them. */
export interface VerifiedPayload {
  readonly payloadType: string;
  readonly payload: Buffer;
  readonly keyId: string;
}

const envelopeSchema = z.object({
  payloadType: z.string(),
  payload: z.string(),
  signatures: z.array(z.object({ keyid: z.string().optional(), sig: z.string() })).min(1),
});

const SP = Buffer.from(' ');
const PREFIX = Buffer.from('DSSEv1');
/** Standard or URL-safe base64, padded or not: a verifier MUST accept either (protocol.md). */
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * The Pre-Authentication Encoding of DSSE v1 (protocol.md):
 * `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, LEN the ASCII decimal byte length.
 */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  const length = (n: number): Buffer => Buffer.from(String(n), 'ascii');
  return Buffer.concat([
    PREFIX,
    SP,
    length(type.length),
    SP,
    type,
    SP,
    length(payload.length),
    SP,
    payload,
  ]);
}

/** Signs `payload` as `payloadType` with an ECDSA P-256 key (SHA-256, DER signature). */
export function signEnvelope(
  payloadType: string,
  payload: Uint8Array,
  key: { readonly keyId: string; readonly privateKey: KeyObject },
): DsseEnvelope {
  const sig = sign('sha256', pae(payloadType, payload), {
    key: key.privateKey,
    dsaEncoding: 'der',
  });
  return {
    payloadType,
    payload: Buffer.from(payload).toString('base64'),
    signatures: [{ keyid: key.keyId, sig: sig.toString('base64') }],
  };
}

/** Parses an envelope's JSON bytes; anything that is not one is TAMPERED. */
export function parseEnvelope(bytes: Uint8Array, where: string): DsseEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new AttestError(
      'TAMPERED',
      `${where}: expected a DSSE envelope, got unparseable JSON`,
      'input',
      {
        cause: error,
      },
    );
  }
  const parsed = envelopeSchema.safeParse(value);
  if (!parsed.success)
    throw new AttestError(
      'TAMPERED',
      `${where}: expected a DSSE envelope (payloadType, payload, signatures)`,
    );
  return parsed.data;
}

/**
 * Verifies an envelope against trusted keys (protocol.md, "To verify"): the keyid only narrows
 * the keys tried; a signature counts when it verifies over the recomputed PAE. UNKNOWN_KEY when
 * no signature names (or verifies with) a trusted key's id, TAMPERED when one that does fails.
 */
export function verifyEnvelope(
  envelope: DsseEnvelope,
  keys: readonly VerificationKey[],
  where: string,
): VerifiedPayload {
  if (!BASE64.test(envelope.payload))
    throw new AttestError('TAMPERED', `${where}: the payload is not base64`);
  const payload = Buffer.from(envelope.payload, 'base64');
  const message = pae(envelope.payloadType, payload);
  let candidates = 0;
  for (const signature of envelope.signatures) {
    const tried =
      signature.keyid === undefined ? keys : keys.filter((k) => k.keyId === signature.keyid);
    candidates += tried.length;
    if (!BASE64.test(signature.sig)) continue;
    const sig = Buffer.from(signature.sig, 'base64');
    const key = tried.find((k) => checks(message, sig, k.key));
    if (key !== undefined) return { payloadType: envelope.payloadType, payload, keyId: key.keyId };
  }
  if (candidates === 0) {
    const ids = envelope.signatures.map((s) => s.keyid ?? '(no keyid)').join(', ');
    throw new AttestError(
      'UNKNOWN_KEY',
      `${where}: signed by ${ids}; expected one of the ${keys.length} trusted key(s) (${keys.map((k) => k.keyId.slice(0, 12)).join(', ') || 'none'})`,
    );
  }
  throw new AttestError(
    'TAMPERED',
    `${where}: the signature does not verify over the payload (it was changed after signing)`,
  );
}

function checks(message: Buffer, sig: Buffer, key: KeyObject): boolean {
  try {
    return verify('sha256', message, { key, dsaEncoding: 'der' }, sig);
  } catch {
    // A malformed DER signature throws rather than returning false: it verifies nothing.
    return false;
  }
}
