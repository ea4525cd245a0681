import { CodedError, isClearanceError, messageOf, type ErrorKind } from '../core';

export type PipelineErrorCode =
  | 'INVALID_LAYER_REPORT'
  | 'MALFORMED_INPUT'
  | 'MISSING_OBJECT'
  | 'MISCONFIGURED'
  | 'LAYER_UNREADABLE'
  | 'IMAGE_NOT_FOUND'
  /** The vulnerability store holds no advisory: matching would pass every image vacuously. */
  | 'NO_VULNERABILITY_DATA'
  /** The data sync ran out of time; the next attempt goes on where it stopped (transient). */
  | 'SYNC_INCOMPLETE';

/** A pipeline step given what it cannot use: a key that escapes the store, a report of another shape. */
export class PipelineError extends CodedError<PipelineErrorCode> {
  /** What a step is given is made by the state machine, not typed by a user. */
  static override readonly defaultKind: ErrorKind = 'bug';
}

/**
 * The error names a state machine sees (`Error` in Retry/Catch): one per kind, so that the
 * definition retries `Clearance.Transient` and nothing else of ours.
 */
export const STEP_ERROR = {
  input: 'Clearance.Input',
  transient: 'Clearance.Transient',
  bug: 'Clearance.Bug',
} as const satisfies Record<ErrorKind, string>;

/** What a handler throws: named by kind, the message says the code and what went wrong. */
export class StepError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${message}`, options);
    this.name = STEP_ERROR[kind];
  }
}

/**
 * A thrown value as a StepError. Our errors keep their kind; anything else (an SDK error, a
 * TypeError) is a bug unless the SDK marks it retryable or throttled.
 */
export function stepErrorOf(error: unknown): StepError {
  if (error instanceof StepError) return error;
  if (isClearanceError(error))
    return new StepError(error.kind, error.code, error.message, { cause: error });
  const sdk = error as {
    name?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const transient = sdk.$retryable !== undefined || (sdk.$metadata?.httpStatusCode ?? 0) >= 500;
  return new StepError(transient ? 'transient' : 'bug', sdk.name ?? 'Error', messageOf(error), {
    cause: error,
  });
}
