import type { Severity } from '../osv';
import type { ContainerSpec, DeploymentFormat, WorkloadSpec } from './workload';

/** The benchmark the `cis` numbers of posture checks are taken from, as the output states it. */
export const CIS_BENCHMARK = 'CIS Docker Benchmark v1.6.0';

export type PostureStatus = 'pass' | 'fail' | 'not-applicable' | 'error';

/**
 * What a decision rests on: a field of the document as it was read (`containerDefinitions[0].privileged`,
 * `spec.template.spec.containers[1].securityContext.privileged`, `services.web.privileged`) and the
 * value found there; `null` when the field is absent (the platform's default then applies). Secret
 * values are redacted before they get here.
 */
export interface Evidence {
  readonly path: string;
  readonly value: unknown;
}

/** What one check decided about one workload, or one container of it. */
export interface PostureOutcome {
  readonly status: PostureStatus;
  /** The container the outcome is about; absent for a workload-wide setting. */
  readonly container?: string;
  readonly evidence: readonly Evidence[];
  /** Why: always given for not-applicable and error, and for a fail when the evidence alone does not say. */
  readonly reason?: string;
}

/** A check's outcome as a posture report carries it. */
export interface PostureCheckResult {
  readonly id: string;
  readonly title: string;
  readonly severity: Exclude<Severity, 'UNKNOWN'>;
  /** The CIS Docker Benchmark v1.6.0 item it implements (`5.5`), or null where none does. */
  readonly cis: string | null;
  readonly status: PostureStatus;
  readonly container: string | null;
  readonly evidence: readonly Evidence[];
  readonly reason: string | null;
  /** What to set, in the document's own terms (the task-definition field, the securityContext field). */
  readonly remediation: string;
}

/** What a check knows of the image a container runs, when a verdict source was given. */
export interface ImageFacts {
  /** The image's latest verdict; `unknown` when the source has none for it. */
  readonly verdict: 'pass' | 'warn' | 'fail' | 'unknown';
  /** The digest the verdict is of. */
  readonly digest?: string;
  /** Where the verdict comes from (`local state …`, `report.json`), for evidence. */
  readonly source: string;
  /** Whether the image runs as root by its own USER (its `user-root` check); unknown when not recorded. */
  readonly runsAsRoot?: boolean;
  /** Whether the image declares a HEALTHCHECK (its `healthcheck-missing` check); unknown when not recorded. */
  readonly healthCheck?: boolean;
}

/** What a posture check may consult beyond the workload: the images' facts and the user's lists. */
export interface PostureContext {
  /** Facts of the image a container runs; undefined when there is no verdict source at all. */
  image(container: ContainerSpec): ImageFacts | undefined;
  /** Registries images may come from (`123456789012.dkr.ecr.*.amazonaws.com`); none given: not judged. */
  readonly trustedRegistries: readonly string[];
}

/**
 * One runtime check: a pure function of a workload (STYLE.md §5, as the image checks are), with
 * its place in CIS Docker Benchmark v1.6.0 §5 and what to set in each format's own terms.
 */
export interface PostureCheck {
  readonly id: string;
  /** Bumped when the same document can get a different outcome. */
  readonly version: number;
  readonly title: string;
  readonly severity: PostureCheckResult['severity'];
  /** The CIS Docker Benchmark v1.6.0 §5 item, in that version's numbering (`5.5`). */
  readonly cis?: string;
  readonly rationale: string;
  readonly remediation: Readonly<Record<DeploymentFormat, string>>;
  /** One outcome per container (or one for the workload, for a workload-wide setting). */
  evaluate(workload: WorkloadSpec, context: PostureContext): readonly PostureOutcome[];
}
