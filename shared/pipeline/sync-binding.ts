import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricUnit as Unit } from '@aws-lambda-powertools/metrics/types';
import { z } from 'zod';
import { bindStep, stepBinding } from './step-binding';
import { syncVulnerabilityData, type SyncDeps, type SyncResult } from './sync';

/** The metric the stale-data alarm watches (namespace from `POWERTOOLS_METRICS_NAMESPACE`). */
export const DATA_AGE_METRIC = 'VulnerabilityDataAgeHours';

/** Where the metric goes: Powertools' `Metrics` in the function. */
export interface MetricSink {
  addMetric(name: string, unit: Unit, value: number): void;
}

export interface SyncStepDeps extends SyncDeps {
  readonly metrics: MetricSink;
}

/** The schedule's input: nothing the sync reads (whatever it carries is ignored). */
const SyncInput = z.object({});

/**
 * The Sync state, the `sync-vulnerability-data` function: OSV exports → the vulnerability
 * table, the data version recorded, and the data's age (hours since its newest advisory change)
 * as `VulnerabilityDataAgeHours`.
 */
export const SYNC_STEP = stepBinding(
  'Sync',
  SyncInput,
  async (_input, { metrics, ...sync }: SyncStepDeps): Promise<SyncResult> => {
    const result = await syncVulnerabilityData(sync);
    if (result.ageHours !== null)
      metrics.addMetric(DATA_AGE_METRIC, MetricUnit.NoUnit, result.ageHours);
    return result;
  },
);

/**
 * The Sync handler with its ports. Its second argument is the time left of the invocation, so
 * that a long first import stops in time.
 */
export function bindSync(
  deps: Omit<SyncStepDeps, 'remainingMs'>,
): (event: unknown, remainingMs?: () => number) => Promise<SyncResult> {
  return (event, remainingMs) =>
    bindStep(SYNC_STEP, { ...deps, ...(remainingMs !== undefined && { remainingMs }) })(event);
}
