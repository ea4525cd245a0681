import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { z } from 'zod';
import { messageOf } from '../core';
import type { ObjectStore } from '../objects';
import { stepBinding, writeJson, type MetricSink, type VerdictStore } from '../pipeline';
import { PostureRunError } from './errors';
import type { ImageVerdict, PostureDocument, PostureJudge } from './judge';
import type { EcsInventorySource, RegistryPostureSource } from './recordings';
import { postureSummary, registryChecks, type PostureRunSummary } from './summary';

/** The metrics of a posture run (namespace from `POWERTOOLS_METRICS_NAMESPACE`). */
export const POSTURE_METRICS = {
  failedWorkloads: 'PostureFailedWorkloads',
  imagesWithoutPass: 'ImagesRunningWithoutPass',
  registryChecksFailed: 'RegistryChecksFailed',
  /** Clusters, services or registry parts that could not be read: nothing of them was checked. */
  partsUnread: 'PosturePartsUnread',
} as const;

/** The posture run's id: the fleet run's (the state machine's execution name). */
export const PostureRunInput = z.object({
  runId: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'letters, digits, "-" and "_"'),
});
export type PostureRunInput = z.infer<typeof PostureRunInput>;

/** Where a run's objects are: `posture/<runId>/…`. */
export function postureKeys(runId: string) {
  const prefix = `posture/${runId}`;
  return {
    ecsInventory: `${prefix}/ecs-inventory.json`,
    ecrRegistry: `${prefix}/ecr-registry.json`,
    report: `${prefix}/report.json`,
  };
}

export interface PostureRunDeps {
  readonly ecs: EcsInventorySource;
  readonly registry: RegistryPostureSource;
  /** `postureReport` of shared/posture (`postureJudge`). */
  readonly judge: PostureJudge;
  readonly store: ObjectStore;
  /** The images table: the verdict of each running digest. */
  readonly verdicts: Pick<VerdictStore, 'verdictOf'>;
  /** Powertools' `Metrics` in the function. @default - no metrics */
  readonly metrics?: MetricSink;
}

/** The Posture state of FleetScan, the `posture-scan` function. */
export const POSTURE_STEP = stepBinding('Posture', PostureRunInput, runPosture);

/**
 * The nightly posture run: collects the ECS inventory and the registry's posture, writes each
 * recording under `posture/<runId>/`, judges them (with each running image's verdict), writes
 * the report, emits the metrics the alarms watch, and returns the summary for the digest. A
 * collection that fails is reported and the other judged; when both fail the step fails.
 */
export async function runPosture(
  input: PostureRunInput,
  deps: PostureRunDeps,
): Promise<PostureRunSummary> {
  const keys = postureKeys(input.runId);
  const collected = await Promise.all([
    collect('ecs', () => deps.ecs.collect(), keys.ecsInventory, deps.store),
    collect('ecr', () => deps.registry.collect(), keys.ecrRegistry, deps.store),
  ]);
  const documents = collected.flatMap((c) => (c.document === undefined ? [] : [c.document]));
  const collectionErrors = collected.flatMap((c) =>
    c.error === undefined ? [] : [{ source: c.source, error: c.error }],
  );
  if (documents.length === 0)
    throw new PostureRunError(
      'POSTURE_NOT_COLLECTED',
      `nothing to judge: ${collectionErrors.map((e) => `${e.source}: ${e.error}`).join('; ')}`,
    );
  const verdictOf = cachedVerdicts(deps.verdicts);
  const report = await deps.judge(documents, verdictOf.lookup);
  // Compact: a fleet's report is tens of megabytes (2,000 services: 40 MB; 420 MiB peak in all).
  await deps.store.put(keys.report, Buffer.from(JSON.stringify(report)));
  // Every running digest's verdict, asked once (the judge may have asked for some already).
  for (const w of report.workloads)
    for (const c of w.containers) for (const d of c.runningDigests) await verdictOf.lookup(d);
  const summary = postureSummary(report, {
    runId: input.runId,
    reportKey: keys.report,
    recordings: {
      ecsInventory: collected[0].document === undefined ? null : keys.ecsInventory,
      ecrRegistry: collected[1].document === undefined ? null : keys.ecrRegistry,
    },
    collectionErrors,
    verdicts: verdictOf.known,
  });
  emitMetrics(
    deps.metrics,
    summary,
    registryChecks(report).filter((c) => c.status === 'fail').length,
  );
  return summary;
}

interface Collected {
  readonly source: string;
  readonly document?: PostureDocument;
  readonly error?: string;
}

/** A recording collected and written, or why it could not be. */
async function collect(
  source: string,
  read: () => Promise<unknown>,
  key: string,
  store: ObjectStore,
): Promise<Collected> {
  let value: unknown;
  try {
    value = await read();
  } catch (error) {
    return { source, error: messageOf(error) };
  }
  await writeJson(store, key, value);
  return { source, document: { source: key, value } };
}

/** Verdicts by digest from the images table, each asked once. */
function cachedVerdicts(store: Pick<VerdictStore, 'verdictOf'>) {
  const asked = new Map<string, Promise<ImageVerdict>>();
  const known = new Map<string, ImageVerdict>();
  const lookup = (digest: string): Promise<ImageVerdict> => {
    let verdict = asked.get(digest);
    if (verdict === undefined) {
      verdict = store.verdictOf(digest).then((stored) => {
        const decision = stored?.decision ?? 'unknown';
        known.set(digest, decision);
        return decision;
      });
      asked.set(digest, verdict);
    }
    return verdict;
  };
  return { lookup, known };
}

function emitMetrics(
  metrics: MetricSink | undefined,
  summary: PostureRunSummary,
  registryFailures: number,
): void {
  if (metrics === undefined) return;
  metrics.addMetric(POSTURE_METRICS.failedWorkloads, MetricUnit.Count, summary.workloads.fail);
  metrics.addMetric(
    POSTURE_METRICS.imagesWithoutPass,
    MetricUnit.Count,
    summary.imagesWithoutPassTotal,
  );
  if (summary.registry !== null)
    metrics.addMetric(POSTURE_METRICS.registryChecksFailed, MetricUnit.Count, registryFailures);
  metrics.addMetric(POSTURE_METRICS.partsUnread, MetricUnit.Count, summary.unreadTotal);
}
