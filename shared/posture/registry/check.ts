import { messageOf } from '../../core';
import type { PostureCheckResult, PostureOutcome } from '../check';
import type { RegistryPostureOptions } from './subjects';

/**
 * One registry posture check: a pure function of what the ECR API answered (STYLE.md §5), with
 * the text a reader needs. No CIS Docker Benchmark v1.6.0 item covers a registry's settings,
 * so `cis` is null throughout.
 */
export interface RegistryCheck<Subject> {
  /** Stable identifier, in reports and policies. */
  readonly id: string;
  /** Bumped when the same answers can get a different outcome. */
  readonly version: number;
  readonly title: string;
  readonly severity: PostureCheckResult['severity'];
  readonly cis: null;
  readonly rationale: string;
  /** What to set, as the ECR API (and `aws ecr`) names it. */
  readonly remediation: string;
  evaluate(subject: Subject, options: RegistryPostureOptions): PostureOutcome;
}

/** Runs each check on the subject; a check that throws is an `error` with its message. */
export function runRegistryChecks<Subject>(
  checks: readonly RegistryCheck<Subject>[],
  subject: Subject,
  options: RegistryPostureOptions,
): PostureCheckResult[] {
  return checks.map((check) => {
    let outcome: PostureOutcome;
    try {
      outcome = check.evaluate(subject, options);
    } catch (error) {
      outcome = { status: 'error', evidence: [], reason: `the check failed: ${messageOf(error)}` };
    }
    return {
      id: check.id,
      title: check.title,
      severity: check.severity,
      cis: check.cis,
      status: outcome.status,
      container: null,
      evidence: outcome.evidence,
      reason: outcome.reason ?? null,
      remediation: check.remediation,
    };
  });
}

/** The outcome of a check whose input could not be read. */
export function unreadable(reason: string): PostureOutcome {
  return { status: 'error', evidence: [], reason };
}
