import type { SecretHygieneCheck } from '../rotation';
import { writeJson } from '../pipeline';
import type { ObjectStore } from '../objects';
import type { Clock } from '../core';
import type { Notifier } from '../notify';
import type { Decision, ImageTarget } from '../pipeline';
import { SEVERITIES } from './counts';
import { fleetNotification, type ObjectLink } from './digest';
import { fleetKeys } from './items';
import { writeFleetPage } from './fleet-page';
import { failureOf, outcomeOf, unreadable, type ImageOutcome, type ItemFailure } from './outcomes';
import { readMapRunResults, type MapRunResults } from './result-writer';
import { NONE_SKIPPED } from './enumerate';
import { FleetError } from './errors';
import { SkippedItems, SummarizeInput, type SummarizeOutput } from './schemas';
import type { FleetSummary } from './summary';
import { stepBinding } from '../pipeline';

export type { FleetSummary };

export type { ImageOutcome, ItemFailure };

/** Images the summary lists as the worst of the fleet. */
const WORST_IMAGES = 10;
/** Failures the summary lists one by one; the rest are counted. */
const LISTED_FAILURES = 100;

export interface SummarizeDeps {
  readonly store: ObjectStore;
  readonly notifier: Notifier;
  readonly clock: Clock;
  /** Where people open an object: `s3://bucket/key` in the cloud. @default - the key itself */
  readonly link?: ObjectLink;
  /** The secret hygiene check (shared/rotation/hygiene.ts). @default - secrets not checked */
  readonly secretHygiene?: SecretHygieneCheck;
}

/** The Summarize state: the map run's results → `fleet/<runId>/summary.json` and one digest. */
export const SUMMARIZE_STEP = stepBinding('Summarize', SummarizeInput, summarizeFleet);

/**
 * The Summarize step: reads the Distributed Map's ResultWriter output, writes the run's
 * report `fleet/<runId>/summary.json` and its page `fleet/<runId>/index.html` (with the trend
 * of the earlier runs' summaries), and publishes one digest to the alerts topic (id
 * `fleet-<runId>`, so a retried step sends it once).
 */
export async function summarizeFleet(
  input: SummarizeInput,
  deps: SummarizeDeps,
): Promise<SummarizeOutput> {
  const results = await readMapRunResults(deps.store, input.manifestKey);
  const skipped = await readSkipped(deps.store, input.runId);
  const now = deps.clock();
  const secretHygiene = await deps.secretHygiene?.(input.runId, now);
  const summary = {
    ...fleetSummary(input, results, now, skipped),
    ...(secretHygiene && { secretHygiene }),
    ...(input.posture && { runtimePosture: input.posture }),
  };
  const summaryKey = fleetKeys(input.runId).summary;
  await writeJson(deps.store, summaryKey, summary);
  await writeFleetPage(deps.store, summary);
  const notified = await deps.notifier.publish(
    fleetNotification(summary, summaryKey, deps.link ?? ((key) => key)),
  );
  return {
    runId: input.runId,
    summaryKey,
    notified,
    ...summary.posture,
    newSevereFindings: summary.newFindings.length,
  };
}

/** The run's report from the map's results (pure; `generatedAt` is injected). */
export function fleetSummary(
  input: SummarizeInput,
  results: MapRunResults,
  generatedAt: Date,
  skipped: SkippedItems = NONE_SKIPPED,
): FleetSummary {
  const outcomes: ImageOutcome[] = [];
  const unjudged = { needsScan: 0, scannedWithoutVerdict: 0 };
  const failures: ItemFailure[] = [];
  for (const execution of results.succeeded) {
    const outcome = outcomeOf(execution.output);
    if (outcome === undefined) failures.push(unreadable(execution));
    else if (typeof outcome === 'string') unjudged[outcome]++;
    else outcomes.push(outcome);
  }
  failures.push(...results.failed.map(failureOf));
  const count = (d: Decision) => outcomes.filter((o) => o.decision === d).length;
  const unjudgedCount = unjudged.needsScan + unjudged.scannedWithoutVerdict;
  return {
    schemaVersion: 1,
    runId: input.runId,
    generatedAt: generatedAt.toISOString(),
    manifestKey: input.manifestKey,
    posture: {
      images: outcomes.length + unjudgedCount + failures.length + results.pending.length,
      pass: count('pass'),
      warn: count('warn'),
      fail: count('fail'),
      ...unjudged,
      failed: failures.length,
      pending: results.pending.length,
    },
    maxSeverity: SEVERITIES.find((s) => outcomes.some((o) => o.counts[s] > 0)) ?? 'none',
    rematched: outcomes.filter((o) => o.how === 'rematched').length,
    scanned: outcomes.filter((o) => o.how === 'scanned').length + unjudged.scannedWithoutVerdict,
    newFindings: newFindingsOf(outcomes),
    ...fixedFindingsOf(outcomes),
    verdictChanges: outcomes.flatMap((o) =>
      o.previousDecision !== null && o.previousDecision !== o.decision
        ? [{ image: o.image, from: o.previousDecision, to: o.decision }]
        : [],
    ),
    worst: worstOf(outcomes),
    failures: failures.slice(0, LISTED_FAILURES),
    skipped,
  };
}

/** What Enumerate left out; nothing when it wrote no count (a run from before it did). */
async function readSkipped(store: ObjectStore, runId: string): Promise<SkippedItems> {
  const bytes = await store.get(fleetKeys(runId).skipped);
  if (bytes === undefined) return NONE_SKIPPED;
  const parsed = SkippedItems.safeParse(JSON.parse(bytes.toString('utf8')));
  if (!parsed.success)
    throw new FleetError(
      'FLEET_ITEMS_MALFORMED',
      `${fleetKeys(runId).skipped} holds no count of skipped items`,
    );
  return parsed.data;
}

function newFindingsOf(
  outcomes: readonly ImageOutcome[],
  ids: (o: ImageOutcome) => readonly string[] = (o) => o.newSevereFindings,
): FleetSummary['newFindings'] {
  const kev = new Set(outcomes.flatMap((o) => o.kevFindings ?? []));
  const byId = new Map<string, ImageTarget[]>();
  for (const o of outcomes)
    for (const id of ids(o)) byId.set(id, [...(byId.get(id) ?? []), o.image]);
  // Those CISA's KEV catalog lists first (being exploited), then the most widespread.
  return [...byId.entries()]
    .map(([id, images]) => ({ id, images, ...(kev.has(id) && { kev: true as const }) }))
    .sort(
      (a, b) =>
        Number(b.kev ?? false) - Number(a.kev ?? false) ||
        b.images.length - a.images.length ||
        compare(a.id, b.id),
    );
}

/** The CRITICAL/HIGH findings re-matched images lost, as `newFindings` lists the new; none: absent. */
function fixedFindingsOf(outcomes: readonly ImageOutcome[]): Pick<FleetSummary, 'fixedFindings'> {
  const fixed = newFindingsOf(outcomes, (o) => o.fixedSevereFindings ?? []);
  return fixed.length > 0 ? { fixedFindings: fixed } : {};
}

function worstOf(outcomes: readonly ImageOutcome[]): ImageOutcome[] {
  const rank = { fail: 2, warn: 1, pass: 0 };
  return outcomes
    .filter((o) => o.counts.critical + o.counts.high > 0 || o.decision === 'fail')
    .sort(
      (a, b) =>
        b.counts.critical - a.counts.critical ||
        b.counts.high - a.counts.high ||
        rank[b.decision] - rank[a.decision] ||
        compare(
          `${a.image.repository}@${a.image.digest}`,
          `${b.image.repository}@${b.image.digest}`,
        ),
    )
    .slice(0, WORST_IMAGES);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
