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
    compareExploitation(a, b) ||
    compareSeverity(a.severity, b.severity) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * The first half of {@link comparePriority}: KEV first, then EPSS score highest first; 0 for
 * findings alike in both (all of them, without KEV and EPSS data), so that a stable sort after
 * another keeps that order within.
 */
export function compareExploitation(
  a: Pick<Prioritized, 'kev' | 'epss'>,
  b: Pick<Prioritized, 'kev' | 'epss'>,
): number {
  return Number(isKev(b)) - Number(isKev(a)) || (b.epss?.score ?? 0) - (a.epss?.score ?? 0);
}

/** Whether the finding is in the KEV catalog. */
export function isKev(finding: Pick<Prioritized, 'kev'>): boolean {
  return finding.kev !== undefined && finding.kev !== null;
}
