import { CodedError } from '../core';

/** Every `code` an {@link AuditError} carries. */
export type AuditErrorCode =
  /** A value has no canonical JSON form (NaN, Infinity, a lone surrogate, a cycle, a BigInt). */
  | 'NOT_CANONICALIZABLE'
  /** An event the log cannot chain: no id, no parseable time. A bug of its maker. */
  | 'INVALID_EVENT'
  /** Other writers kept taking the next link: the append gave up after its bounded retries. */
  | 'CHAIN_CONTENDED'
  /** The chain's own items are not what the log writes (a head that does not parse, say). */
  | 'INVALID_CHAIN_ITEM'
  /** An anchor object that is not an anchor. */
  | 'INVALID_ANCHOR'
  /** An anchor store failed to list, read or write. */
  | 'ANCHOR_STORE_FAILED';

/**
 * A failure of the audit trail's machinery (shared/audit and its adapters). What verification
 * finds wrong with a chain is not thrown: it is an {@link AuditProblem} of the report.
 */
export class AuditError extends CodedError<AuditErrorCode> {}
