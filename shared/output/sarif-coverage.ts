import { describeGap } from '../coverage';
import type { ScanReport } from '../scan';
import type { SarifNotification } from './sarif-log';

/**
 * What the scan could not check, as SARIF tool execution notifications (SARIF 2.1.0 §3.20.21),
 * the gap's kind in the descriptor id (`clearance/coverage/<kind>`): a gap nobody accepted is
 * an `error` (code scanning shows it as a failed analysis), an accepted one a `note` naming
 * who accepted it.
 */
export function coverageNotifications(report: ScanReport): SarifNotification[] {
  const where = `${report.image.reference} (${report.image.platform})`;
  const coverage = report.coverage;
  if (coverage === undefined) return [];
  const listed = coverage.gaps.map((gap): SarifNotification => ({
    level: gap.acceptedBy === null ? 'error' : 'note',
    descriptor: { id: `clearance/coverage/${gap.kind}` },
    message: {
      text: `${where}: not checked: ${describeGap(gap)}; affects ${gap.affects}${gap.acceptedBy === null ? '' : `; accepted by ${gap.acceptedBy}`}`,
    },
    properties: { kind: gap.kind, subject: gap.subject, acceptedBy: gap.acceptedBy },
  }));
  const omitted: SarifNotification[] =
    coverage.omitted > 0
      ? [
          {
            level: coverage.omittedAcceptedBy === null ? 'error' : 'note',
            descriptor: { id: 'clearance/coverage/omitted' },
            message: { text: `${where}: ${coverage.omitted} more gaps, not listed` },
          },
        ]
      : [];
  return [...listed, ...omitted];
}
