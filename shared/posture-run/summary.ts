import { z } from 'zod';
import type { PostureCheckResult } from '../posture';
import type { ImageVerdict, JudgedReport, JudgedWorkload } from './judge';

/** Services the summary names as the worst. */
export const WORST_SERVICES = 10;
/** Images running without a pass verdict named one by one; the rest are counted. */
export const LISTED_IMAGES = 50;
/** Parts not read named one by one. */
export const LISTED_UNREAD = 50;
/** Failing repositories named one by one. */
export const LISTED_REPOSITORIES = 50;
/** Workloads named per image, and failed checks named per service or repository. */
const NAMED_PER_ITEM = 5;

const count = z.number().int().nonnegative();
const Decision = z.enum(['pass', 'warn', 'fail']);

/**
 * What the posture run hands to Summarize for the nightly digest: small (the Step Functions
 * state is at most 256 KiB), the lists capped, the report's key for the rest.
 */
export const PostureRunSummary = z.object({
  status: z.literal('completed'),
  runId: z.string(),
  reportKey: z.string(),
  /** Where each recording was written; null for one that could not be collected. */
  recordings: z.object({ ecsInventory: z.string().nullable(), ecrRegistry: z.string().nullable() }),
  /** Collections that failed (the other's results stand). */
  collectionErrors: z.array(z.object({ source: z.string(), error: z.string() })),
  /**
   * Parts of the recordings that could not be read (a cluster the API refused, a task
   * definition that failed to describe): nothing of them was checked. Listed up to 50.
   */
  unread: z.array(z.object({ source: z.string(), reason: z.string() })),
  unreadTotal: count,
  /** Workloads by their decision (their worst check), and those with a check in error. */
  workloads: z.object({ total: count, pass: count, warn: count, fail: count, withErrors: count }),
  /** Up to ten services with the most failed CRITICAL/HIGH checks, worst first. */
  worstServices: z.array(
    z.object({
      name: z.string(),
      source: z.string(),
      decision: Decision,
      failedSevere: count,
      failedChecks: z.array(z.string()),
    }),
  ),
  /** Digests ECS reports running whose verdict is not pass (fail, warn, or none recorded). */
  imagesWithoutPass: z.array(
    z.object({
      reference: z.string().nullable(),
      digest: z.string(),
      verdict: z.enum(['warn', 'fail', 'unknown']),
      workloads: z.array(z.string()),
    }),
  ),
  imagesWithoutPassTotal: count,
  /** Watched repositories with a failed check; null when the registry was not judged. */
  registry: z
    .object({
      repositories: count,
      failedChecks: count,
      failing: z.array(z.object({ repository: z.string(), failedChecks: z.array(z.string()) })),
      failingTotal: count,
    })
    .nullable(),
});
export type PostureRunSummary = z.infer<typeof PostureRunSummary>;

/** The posture step failed (its Catch in FleetScan): the digest says so, the fleet run goes on. */
export const PostureRunFailure = z.object({
  status: z.literal('failed'),
  error: z.string(),
  cause: z.string(),
});
export type PostureRunFailure = z.infer<typeof PostureRunFailure>;

/** What Summarize is given of the posture run. */
export const PostureRunOutcome = z.discriminatedUnion('status', [
  PostureRunSummary,
  PostureRunFailure,
]);
export type PostureRunOutcome = z.infer<typeof PostureRunOutcome>;

export interface SummaryContext {
  readonly runId: string;
  readonly reportKey: string;
  readonly recordings: PostureRunSummary['recordings'];
  readonly collectionErrors: PostureRunSummary['collectionErrors'];
  /** The verdict of each running digest (the images table's). */
  readonly verdicts: ReadonlyMap<string, ImageVerdict>;
}

/** The summary of a judged report (pure). */
export function postureSummary(report: JudgedReport, context: SummaryContext): PostureRunSummary {
  const decisions = { pass: 0, warn: 0, fail: 0 };
  for (const w of report.workloads) decisions[w.verdict.decision]++;
  const images = imagesWithoutPass(report.workloads, context.verdicts);
  const failing = failingRepositories(report);
  return {
    status: 'completed',
    runId: context.runId,
    reportKey: context.reportKey,
    recordings: context.recordings,
    collectionErrors: context.collectionErrors,
    unread: report.coverage.gaps
      .slice(0, LISTED_UNREAD)
      .map((gap) => ({ source: gap.subject, reason: gap.reason })),
    unreadTotal: report.coverage.gaps.length,
    workloads: {
      total: report.workloads.length,
      ...decisions,
      withErrors: report.workloads.filter((w) => w.checks.some((c) => c.status === 'error')).length,
    },
    worstServices: worstServices(report.workloads),
    imagesWithoutPass: images.slice(0, LISTED_IMAGES),
    imagesWithoutPassTotal: images.length,
    registry: report.registry && {
      repositories: report.registry.repositories.length,
      failedChecks: failed(registryChecks(report)).length,
      failing: failing.slice(0, LISTED_REPOSITORIES),
      failingTotal: failing.length,
    },
  };
}

/** The workloads with failed CRITICAL/HIGH checks or a failing decision, worst first. */
function worstServices(workloads: readonly JudgedWorkload[]): PostureRunSummary['worstServices'] {
  const rank = { fail: 2, warn: 1, pass: 0 };
  return workloads
    .map((w) => ({ w, severe: failed(w.checks).filter(isSevere) }))
    .filter(({ w, severe }) => severe.length > 0 || w.verdict.decision === 'fail')
    .sort(
      (a, b) =>
        b.severe.length - a.severe.length ||
        rank[b.w.verdict.decision] - rank[a.w.verdict.decision] ||
        failed(b.w.checks).length - failed(a.w.checks).length ||
        compare(a.w.id, b.w.id),
    )
    .slice(0, WORST_SERVICES)
    .map(({ w, severe }) => ({
      name: w.name,
      source: w.source,
      decision: w.verdict.decision,
      failedSevere: severe.length,
      failedChecks: worstFirst(failed(w.checks)).slice(0, NAMED_PER_ITEM),
    }));
}

/** Each running digest whose verdict is not pass, with the workloads running it; fail first. */
function imagesWithoutPass(
  workloads: readonly JudgedWorkload[],
  verdicts: ReadonlyMap<string, ImageVerdict>,
): PostureRunSummary['imagesWithoutPass'] {
  const byDigest = new Map<string, { reference: string | null; workloads: Set<string> }>();
  for (const w of workloads)
    for (const c of w.containers)
      for (const digest of c.runningDigests) {
        const entry = byDigest.get(digest) ?? {
          reference: c.image.reference,
          workloads: new Set(),
        };
        entry.workloads.add(w.name);
        byDigest.set(digest, entry);
      }
  const rank = { fail: 0, unknown: 1, warn: 2 };
  const listed: PostureRunSummary['imagesWithoutPass'][number][] = [];
  for (const [digest, { reference, workloads: names }] of byDigest) {
    const verdict = verdicts.get(digest) ?? 'unknown';
    if (verdict === 'pass') continue;
    listed.push({
      reference,
      digest,
      verdict,
      workloads: [...names].sort().slice(0, NAMED_PER_ITEM),
    });
  }
  return listed.sort(
    (a, b) =>
      rank[a.verdict] - rank[b.verdict] ||
      compare(`${a.reference}@${a.digest}`, `${b.reference}@${b.digest}`),
  );
}

function failingRepositories(
  report: JudgedReport,
): { repository: string; failedChecks: string[] }[] {
  return (report.registry?.repositories ?? [])
    .map((r) => ({ repository: r.name, failedChecks: worstFirst(failed(r.checks)) }))
    .filter((r) => r.failedChecks.length > 0)
    .map((r) => ({ ...r, failedChecks: r.failedChecks.slice(0, NAMED_PER_ITEM) }))
    .sort((a, b) => compare(a.repository, b.repository));
}

/** Every check of the registry: its own and its repositories'. */
export function registryChecks(report: JudgedReport): PostureCheckResult[] {
  return [
    ...(report.registry?.registry?.checks ?? []),
    ...(report.registry?.repositories ?? []).flatMap((r) => r.checks),
  ];
}

function failed(checks: readonly PostureCheckResult[]): PostureCheckResult[] {
  return checks.filter((c) => c.status === 'fail');
}

function isSevere(check: PostureCheckResult): boolean {
  return check.severity === 'CRITICAL' || check.severity === 'HIGH';
}

/** The ids of `checks`, each once, the most severe first (then by id). */
function worstFirst(checks: readonly PostureCheckResult[]): string[] {
  const rank = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3 };
  const sorted = [...checks].sort(
    (a, b) => rank[a.severity] - rank[b.severity] || compare(a.id, b.id),
  );
  return [...new Set(sorted.map((c) => c.id))];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
