import { messageOf } from '../core';
import type { PostureCheck, PostureCheckResult, PostureContext } from './check';
import type { WorkloadSpec } from './workload';

/**
 * Runs every check on the workload. A check that throws is an `error` outcome with its message,
 * never a crash and never a pass (STYLE.md §5).
 */
export function runPostureChecks(
  checks: readonly PostureCheck[],
  workload: WorkloadSpec,
  context: PostureContext,
): PostureCheckResult[] {
  return checks.flatMap((check) => {
    const head = {
      id: check.id,
      title: check.title,
      severity: check.severity,
      cis: check.cis ?? null,
      remediation: check.remediation[workload.format],
    };
    try {
      return check.evaluate(workload, context).map((o) => ({
        ...head,
        status: o.status,
        container: o.container ?? null,
        evidence: o.evidence,
        reason: o.reason ?? null,
      }));
    } catch (error) {
      return [
        {
          ...head,
          status: 'error' as const,
          container: null,
          evidence: [],
          reason: `the check failed: ${messageOf(error)}`,
        },
      ];
    }
  });
}
