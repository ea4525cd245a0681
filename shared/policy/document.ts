import type { ImageReport } from '../report';

/**
 * What a policy's expressions see: the scan report's parts under fixed names. A part the scan
 * did not produce is `null`, never an empty list, so that a rule about vulnerabilities cannot
 * pass on an image nobody checked: `null.size()` is an evaluation error, and errors fail closed.
 * Plain JSON (`scan-document.schema.json` beside this file describes it).
 */
export function policyDocument(report: ImageReport): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify({
      image: report.image,
      coverage: report.coverage ?? null,
      os: report.os,
      packages: report.packages,
      vulnerabilities: report.vulnerabilities ?? null,
      database: report.database ?? null,
      secrets: report.secrets ?? null,
      sensitiveFiles: report.sensitiveFiles ?? null,
      checks: report.checks ?? null,
      signature: report.signature ?? null,
    }),
  ) as Record<string, unknown>;
}
