import { compareSeverity, type Severity } from '../osv';
import type { EpssScore, KevEntry } from './types';

/** What {@link comparePriority} reads of a finding (a `Finding`, or a summary of one). */
export interface Prioritized {
  readonly id: string;
  readonly severity: Severity;
  readonly kev?: KevEntry | null;
  readonly epss?: EpssScore | null;
}

/**
 * The order people should work in: findings in CISA's KEV catalog first (being exploited
 * now), then by EPSS score, highest first (no score counts as 0), then by severity, CRITICAL
 * first, then by id. A stable sort keeps equal findings (one id, several packages) in their
 * order. For `Array.prototype.sort`.
 */
export function comparePriority(a: Prioritized, b: Prioritized): number {
  return (
    Number(isKev(b)) - Number(isKev(a)) ||
    (b.epss?.score ?? 0) - (a.epss?.score ?? 0) ||
    compareSeverity(a.severity, b.severity) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** Whether the finding is in the KEV catalog. */
export function isKev(finding: Pick<Prioritized, 'kev'>): boolean {
  return finding.kev !== undefined && finding.kev !== null;
}
