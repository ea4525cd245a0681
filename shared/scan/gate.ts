import type { Finding } from '../match';
import { compareSeverity, type Severity } from '../osv';
import type { ScanReport } from './report';

/** What the user asked to see: `--severity`, `--ignore-unfixed`. */
export interface FindingFilter {
  readonly severities?: readonly Severity[];
  readonly ignoreUnfixed?: boolean;
}

/** The reports with only the findings the filter keeps (suppressed ones stay, marked). */
export function filterFindings(
  reports: readonly ScanReport[],
  filter: FindingFilter,
): ScanReport[] {
  const keep = (f: Finding) =>
    (filter.severities === undefined || filter.severities.includes(f.severity)) &&
    (!filter.ignoreUnfixed || f.fixedVersion !== null);
  return reports.map((report) =>
    report.vulnerabilities === undefined
      ? report
      : { ...report, vulnerabilities: report.vulnerabilities.filter(keep) },
  );
}

/**
 * The unsuppressed findings at or above `failOn` (UNKNOWN ranks below LOW): a non-empty list
 * fails `--fail-on`.
 */
export function gateFailures(reports: readonly ScanReport[], failOn: Severity): Finding[] {
  return reports
    .flatMap((r) => r.vulnerabilities ?? [])
    .filter((f) => f.suppressedBy === null && compareSeverity(f.severity, failOn) <= 0);
}
