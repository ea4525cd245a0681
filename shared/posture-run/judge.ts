import type { Clock } from '../core';
import { parsePolicy, type Policy } from '../policy';
import {
  DEFAULT_POSTURE_POLICY,
  postureReport,
  type ImageFactsSource,
  type PostureCheckResult,
} from '../posture';

/*
 * What the posture run reads of the judge's report (`PostureReport` of shared/posture): the
 * workloads with their checks, containers and verdict, and the registry's checks. Declared here
 * as the least the run needs, so that the summary depends on those fields only; the report is
 * written whole.
 */

export type ImageVerdict = 'pass' | 'warn' | 'fail' | 'unknown';

/** One workload of the report: an ECS service, or a cluster's standalone tasks of one definition. */
export interface JudgedWorkload {
  readonly id: string;
  readonly name: string;
  readonly source: string;
  readonly checks: readonly PostureCheckResult[];
  readonly containers: readonly {
    readonly name: string;
    readonly image: { readonly reference: string | null; readonly digest: string | null };
    /** The digests ECS reports running for this container. */
    readonly runningDigests: readonly string[];
  }[];
  /** The posture policy's decision on the workload. */
  readonly verdict: { readonly decision: 'pass' | 'warn' | 'fail' };
}

export interface JudgedReport {
  readonly workloads: readonly JudgedWorkload[];
  /** What was not read (a cluster, a service's task definition, a registry part): each a gap. */
  readonly coverage: {
    readonly gaps: readonly { readonly subject: string; readonly reason: string }[];
  };
  readonly registry: {
    /** The registry-wide checks (replication, pull-through cache rules). */
    readonly registry: { readonly checks: readonly PostureCheckResult[] } | null;
    readonly repositories: readonly {
      readonly name: string;
      readonly checks: readonly PostureCheckResult[];
    }[];
  } | null;
}

/** A document the judge reads: where it came from, and its parsed JSON. */
export interface PostureDocument {
  readonly source: string;
  readonly value: unknown;
}

/** The verdict of a digest (the images table's latest), `unknown` when none is recorded. */
export type VerdictLookup = (digest: string) => Promise<ImageVerdict>;

/** The judge: the recordings (and the images' verdicts) → the report. */
export type PostureJudge = (
  documents: readonly PostureDocument[],
  verdicts: VerdictLookup,
) => Promise<JudgedReport>;

export interface PostureJudgeOptions {
  readonly clock: Clock;
  /** @default - the default posture policy (shared/posture/default-policy.ts) */
  readonly policy?: Policy;
  /** Registries images may come from; @default - not judged */
  readonly trustedRegistries?: readonly string[];
}

/**
 * `postureReport` of shared/posture as the nightly run's judge, under the default posture
 * policy unless given another, with the images' verdicts from the images table.
 */
export function postureJudge(options: PostureJudgeOptions): PostureJudge {
  const policy =
    options.policy ?? parsePolicy(DEFAULT_POSTURE_POLICY, 'the default posture policy');
  return (documents, verdicts) =>
    postureReport(documents, {
      now: options.clock(),
      policy,
      verdicts: imagesTable(verdicts),
      ...(options.trustedRegistries !== undefined && {
        trustedRegistries: options.trustedRegistries,
      }),
    });
}

/** The worst verdict among an image's digests (its reference's and those running); fail first. */
function imagesTable(verdicts: VerdictLookup): ImageFactsSource {
  const rank: Record<ImageVerdict, number> = { fail: 3, unknown: 2, warn: 1, pass: 0 };
  const source = 'the images table';
  return {
    name: source,
    lookup: async ({ digests }) => {
      let worst: { verdict: ImageVerdict; digest?: string } = { verdict: 'unknown' };
      let known = false;
      for (const digest of digests) {
        const verdict = await verdicts(digest);
        if (verdict === 'unknown') continue;
        if (!known || rank[verdict] > rank[worst.verdict]) worst = { verdict, digest };
        known = true;
      }
      return { ...worst, source };
    },
  };
}
