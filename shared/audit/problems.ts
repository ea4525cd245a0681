/*
 * What `audit verify` finds wrong, located: the chain, the link's sequence number and the
 * event there where one is known. These are findings about stored data, returned in the report,
 * never thrown (STYLE.md §9).
 */

export type AuditProblemCode =
  /** Links are missing between two sequence numbers: events were deleted. */
  | 'SEQ_GAP'
  /** A link's record does not hash to the link's hash: the event was edited. */
  | 'HASH_MISMATCH'
  /** A link sits at another's place (its record or its prevHash belongs to another seq). */
  | 'REORDERED'
  /** A link does not chain from the hash of the link before it (that one was replaced or deleted). */
  | 'BROKEN_LINK'
  /** A link's record is not JSON, or neither an event nor a seal. */
  | 'UNREADABLE_LINK'
  /** An event's lookup attributes (id, day, repository, digest) disagree with its record. */
  | 'INDEX_MISMATCH'
  /** One event id recorded twice. */
  | 'DUPLICATE_EVENT'
  /** A seal that is not its chain's last link, or that names another chain than its own. */
  | 'MISPLACED_SEAL'
  /** The chain before this one does not end with a seal naming this one. */
  | 'CHAIN_NOT_SEALED'
  /** A chain's first link does not chain from the previous chain's head (its seal). */
  | 'CHAIN_LINK_MISMATCH'
  /** The first chain's first link does not chain from 64 zeros: earlier links were removed. */
  | 'GENESIS_MISMATCH'
  /** An anchor's hash is not the hash of the link it names: the table was rewritten, or the anchor forged. */
  | 'ANCHOR_MISMATCH'
  /** An anchor names a link the table does not hold: links were removed after it was anchored. */
  | 'ANCHOR_LINK_MISSING'
  /** An anchor object that is not one. */
  | 'UNREADABLE_ANCHOR';

/** The first thing found wrong, and where. */
export interface AuditProblem {
  readonly code: AuditProblemCode;
  /** The chain (UTC day) where it is. */
  readonly chain: string;
  /** The link's sequence number, where one is concerned. */
  readonly seq?: number;
  /** The event at that link, when its record could be read. */
  readonly eventId?: string;
  /** The anchor concerned (its key). */
  readonly anchor?: string;
  /** What is wrong: expected vs found. */
  readonly message: string;
}

/** One line: `chain 2026-11-29 seq 4 (event scan-1:scan.completed): <message>`. */
export function describeProblem(problem: AuditProblem): string {
  const where = [
    `chain ${problem.chain}`,
    problem.seq !== undefined && `seq ${problem.seq}`,
    problem.eventId !== undefined && `(event ${problem.eventId})`,
    problem.anchor !== undefined && `anchor ${problem.anchor}`,
  ].filter(Boolean);
  return `${where.join(' ')}: ${problem.message} [${problem.code}]`;
}
