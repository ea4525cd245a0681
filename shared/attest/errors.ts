import { CodedError } from '../core';

/**
 * Why a signing key or a verdict attestation was refused:
 * - `KEY_INVALID`: a signing key's JSON or PEM is malformed, not ECDSA P-256, or its keyId does
 *   not match its public key.
 * - `TAMPERED`: the envelope's signature does not verify over its payload (or the payload is not
 *   the statement it claims to be).
 * - `UNKNOWN_KEY`: no trusted public key has the envelope's keyid.
 * - `WRONG_SUBJECT`: the statement is about another digest than the image's.
 * - `NO_ATTESTATION`: the image carries no verdict attestation.
 * - `DECISION_NOT_ALLOWED`: the verdict verifies but its decision is not one the caller accepts.
 * - `ATTACH_FAILED`: the attestation could not be written next to the image.
 */
export type AttestErrorCode =
  | 'KEY_INVALID'
  | 'TAMPERED'
  | 'UNKNOWN_KEY'
  | 'WRONG_SUBJECT'
  | 'NO_ATTESTATION'
  | 'DECISION_NOT_ALLOWED'
  | 'ATTACH_FAILED';

/** A signing key, a verdict attestation or its verification failed; `code` says which way. */
export class AttestError extends CodedError<AttestErrorCode> {}
