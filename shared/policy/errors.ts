import { ClearanceError, type ErrorKind } from '../core/errors';

export type PolicyErrorCode = 'POLICY_INVALID';

/** A policy file that cannot be used: not YAML, a rule without an id, a CEL syntax error. */
export class PolicyError extends ClearanceError {
  readonly kind: ErrorKind = 'input';

  constructor(
    readonly code: PolicyErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
