import { CodedError } from '../core';

export type PolicyErrorCode = 'POLICY_INVALID';

/** A policy file that cannot be used: not YAML, a rule without an id, a CEL syntax error. */
export class PolicyError extends CodedError<PolicyErrorCode> {}
