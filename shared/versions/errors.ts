import { ClearanceError, type ErrorKind } from '../core';
import type { VersionSchemeName } from './scheme';

/** A version its scheme cannot parse, so it cannot be placed against a range. */
export class InvalidVersionError extends ClearanceError {
  readonly code = 'VERSION_INVALID';
  readonly kind: ErrorKind = 'input';

  constructor(
    readonly scheme: VersionSchemeName,
    readonly version: string,
    reason?: string,
  ) {
    super(`"${version}" is not a valid ${scheme} version${reason ? `: ${reason}` : ''}`);
  }
}
