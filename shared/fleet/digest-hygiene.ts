import type { SecretHygieneReport } from '../rotation';

/** Findings named in the message; the report has them all. */
const LISTED_FINDINGS = 20;
/** A listing failure is cut to its first line, this long. */
const ERROR_LENGTH = 160;

/**
 * The digest's "Secret hygiene" section: the secrets without rotation, not rotated in time or
 * on the AWS managed key, by name (never a value: the check reads none); nothing when the run
 * did not check secrets.
 */
export function secretHygieneLines(report: SecretHygieneReport | undefined): string[] {
  if (report === undefined) return [];
  if (report.error !== undefined)
    return [
      '',
      `Secret hygiene could not be checked: ${report.error.split('\n')[0]!.slice(0, ERROR_LENGTH)}`,
    ];
  const { checked, findings, maxAgeDays } = report;
  if (findings.length === 0)
    return [
      '',
      `Secret hygiene: ${checked} secrets checked, each rotated within ${maxAgeDays} days and on a customer-managed key.`,
    ];
  return [
    '',
    `Secret hygiene (${findings.length} ${findings.length === 1 ? 'finding' : 'findings'} in ${checked} secrets; rotation expected within ${maxAgeDays} days)`,
    ...findings
      .slice(0, LISTED_FINDINGS)
      .map((f) => `  ${f.secretName}  ${f.finding}: ${f.detail}`),
    ...(findings.length > LISTED_FINDINGS
      ? [`  … and ${findings.length - LISTED_FINDINGS} more in the report`]
      : []),
  ];
}
