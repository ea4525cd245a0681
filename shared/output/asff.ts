import type { ScanReport } from '../scan';
import { asffFindings, targetOfReference, type AsffFinding } from '../securityhub';
import type { TargetOptions } from '../securityhub';

/** Where ASFF findings of images outside ECR go: the account and region, and the time. */
export type AsffOptions = TargetOptions;

/**
 * `clearance scan --format asff`: every platform's findings as the BatchImportFindings request
 * body, `{"Findings": [...]}`, which `aws securityhub batch-import-findings --cli-input-json`
 * takes as it is (100 findings a call).
 */
export function asffJson(reports: readonly ScanReport[], options: AsffOptions): string {
  const findings: AsffFinding[] = reports.flatMap((report) =>
    asffFindings(report, targetOfReference(report.image.reference, options)),
  );
  return `${JSON.stringify({ Findings: findings }, null, 2)}\n`;
}
