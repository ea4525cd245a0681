import type { ObjectStore } from '../object-store';
import type { Clock } from '../ports';
import type { ImageTarget } from '../steps';
import { writeItems } from './items';
import type { EnumerateInput, EnumerateOutput } from './schemas';

/** Lists the images the fleet run re-checks: ECR in the cloud (shared/aws/ecr-fleet-lister.ts). */
export interface FleetLister {
  /** Every image of the watched repositories, by digest; order and duplicates do not matter. */
  list(): Promise<readonly ImageTarget[]>;
}

export interface EnumerateDeps {
  readonly lister: FleetLister;
  readonly store: ObjectStore;
  readonly clock: Clock;
  /** The artifacts bucket, handed on for the Distributed Map's ItemReader. */
  readonly bucket?: string;
}

/**
 * The Enumerate step: lists the fleet and writes the items file `fleet/<runId>/items.jsonl`
 * (one `ImageTarget` a line, in a deterministic order) for the Distributed Map to read. A
 * retried Enumerate rewrites the same key. Without a run id the run is named after the time.
 */
export async function enumerateFleet(
  input: EnumerateInput,
  deps: EnumerateDeps,
): Promise<EnumerateOutput> {
  const startedAt = deps.clock();
  const runId = input.runId ?? runIdAt(startedAt);
  const images = await deps.lister.list();
  const { key, count } = await writeItems(deps.store, runId, images);
  return {
    runId,
    itemsKey: key,
    ...(deps.bucket !== undefined && { bucket: deps.bucket }),
    count,
    startedAt: startedAt.toISOString(),
  };
}

/** A run id from a time: `2026-01-02T03:04:05.678Z` → `20260102T030405Z`. */
export function runIdAt(time: Date): string {
  return `${time.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}
