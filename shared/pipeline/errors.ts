import { ClearanceError, type ErrorKind } from '../core/errors';

export type PipelineErrorCode = 'INVALID_OBJECT_KEY' | 'INVALID_LAYER_REPORT';

/** A pipeline step given what it cannot use: a key that escapes the store, a report of another shape. */
export class PipelineError extends ClearanceError {
  constructor(
    readonly code: PipelineErrorCode,
    message: string,
    readonly kind: ErrorKind = 'bug',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
