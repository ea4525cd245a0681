import { CodedError } from '../core';

/**
 * Why a rotation step, a rotator or the secret hygiene check refused or failed:
 * - `MALFORMED_EVENT`: the rotation function's event is not Secrets Manager's.
 * - `MISCONFIGURED`: a setting read at cold start (the hygiene check's) is malformed.
 * - `ROTATION_NOT_ENABLED`: the secret has no rotation configured (Secrets Manager did not call us).
 * - `TOKEN_NOT_STAGED`: the request's token names no version of the secret.
 * - `TOKEN_NOT_PENDING`: the token's version is neither `AWSPENDING` nor `AWSCURRENT`.
 * - `NO_CURRENT_VERSION`: the secret has no `AWSCURRENT` value to rotate from.
 * - `PENDING_MISSING`: setSecret/testSecret found no value staged `AWSPENDING` under the token.
 * - `UNKNOWN_ROTATOR`: the secret's `clearance:rotator` tag is missing or names no rotator.
 * - `INVALID_SECRET_VALUE`: a secret's value is not of its rotator's shape (never echoed).
 * - `TEST_FAILED`: the pending value does not work; `AWSCURRENT` stays where it is.
 * - `KEY_INDEX_INVALID`: `verdict-keys/index.json` is not the published key index.
 * - `REGISTRY_REQUEST_FAILED`: the registry's token API refused or did not answer.
 * - `INSECURE_ENDPOINT`: a credential would travel over plain HTTP to a non-loopback host.
 */
export type RotationErrorCode =
  | 'MALFORMED_EVENT'
  | 'MISCONFIGURED'
  | 'ROTATION_NOT_ENABLED'
  | 'TOKEN_NOT_STAGED'
  | 'TOKEN_NOT_PENDING'
  | 'NO_CURRENT_VERSION'
  | 'PENDING_MISSING'
  | 'UNKNOWN_ROTATOR'
  | 'INVALID_SECRET_VALUE'
  | 'TEST_FAILED'
  | 'KEY_INDEX_INVALID'
  | 'REGISTRY_REQUEST_FAILED'
  | 'INSECURE_ENDPOINT';

/**
 * A rotation failure. Messages name the secret (its ARN or name), the version id (the
 * ClientRequestToken, not a secret) and what was expected; never a secret value.
 */
export class RotationError extends CodedError<RotationErrorCode> {}
