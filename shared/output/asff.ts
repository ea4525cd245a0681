import type { PostureReport } from '../posture';
import type { ScanReport } from '../scan';
import {
  asffFindings,
  DEFAULT_REGION,
  PLACEHOLDER_ACCOUNT,
  postureAsffFindings,
  targetOfReference,
  type AsffFinding,
} from '../securityhub';
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

/**
 * `clearance posture --format asff`: the failed and erring checks as the BatchImportFindings
 * request body, in the account and region given (`AWS_ACCOUNT_ID`, `AWS_REGION`), else
 * placeholders a user replaces before importing.
 */
export function postureAsffJson(report: PostureReport, options: AsffOptions): string {
  const findings = postureAsffFindings(report, {
    accountId: options.accountId ?? PLACEHOLDER_ACCOUNT,
    region: options.region ?? DEFAULT_REGION,
    observedAt: options.observedAt,
  });
  return `${JSON.stringify({ Findings: findings }, null, 2)}\n`;
}
