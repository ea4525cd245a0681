import { ClearanceError, type ErrorKind } from '../core/errors';

export type SuppressionErrorCode = 'VEX_INVALID' | 'IGNORE_FILE_INVALID';

/** A VEX document or ignore file that cannot be used; the scan stops rather than guess. */
export class SuppressionError extends ClearanceError {
  readonly kind: ErrorKind = 'input';

  constructor(
    readonly code: SuppressionErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
