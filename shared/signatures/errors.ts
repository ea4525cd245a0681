import { CodedError } from '../core';

export type SignatureErrorCode = 'KEY_INVALID' | 'KEY_UNAVAILABLE' | 'NOT_A_REGISTRY';

/** A verification key that cannot be used: not a public key, an algorithm cosign keys do not use, a KMS key out of reach. */
export class SignatureError extends CodedError<SignatureErrorCode> {}
