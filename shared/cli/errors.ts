import { ClearanceError, type ErrorKind } from '../core';

/** The command line itself is wrong: an unknown flag, a malformed value. */
export class UsageError extends ClearanceError {
  readonly code = 'USAGE';
  readonly kind: ErrorKind = 'input';
}

/** A result that would silently lack what was not checked (an SBOM of an unreadable layer). */
export class IncompleteScanError extends ClearanceError {
  readonly code = 'INCOMPLETE';
  readonly kind: ErrorKind = 'input';
}
