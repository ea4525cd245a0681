import { ClearanceError, type ErrorKind } from '../core';

/** A reference that names a file or directory on this machine without its transport. */
export class LocalPathReferenceError extends ClearanceError<'LOCAL_PATH_REFERENCE'> {
  readonly code = 'LOCAL_PATH_REFERENCE';
  readonly kind: ErrorKind = 'input';
}
