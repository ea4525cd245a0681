import { messageOf } from '../core';
import type { CheckContext, CheckResult, ImageCheck } from './check';

/**
 * Runs every check on the context. A check that throws is an `error` outcome with its message,
 * never a crash and never a pass (STYLE.md §5); an informational check never fails.
 */
export function runChecks(checks: readonly ImageCheck[], context: CheckContext): CheckResult[] {
  return checks.map((check) => {
    let status: CheckResult['status'];
    let evidence: readonly string[];
    try {
      ({ status, evidence } = check.evaluate(context));
      if (check.informational === true && status === 'fail') status = 'info';
    } catch (error) {
      status = 'error';
      evidence = [`the check failed: ${messageOf(error)}`];
    }
    return {
      id: check.id,
      title: check.title,
      severity: check.severity,
      status,
      evidence,
      cis: check.cis ?? null,
      dockle: check.dockle ?? null,
      remediation: check.remediation,
    };
  });
}
