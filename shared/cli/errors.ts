import { ClearanceError, type ErrorKind } from '../core/errors';

/** The command line itself is wrong: an unknown flag, a malformed value. */
export class UsageError extends ClearanceError {
  readonly code = 'USAGE';
  readonly kind: ErrorKind = 'input';
}
