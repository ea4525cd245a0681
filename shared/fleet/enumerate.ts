import { createHash } from 'node:crypto';
import type { ObjectStore } from '../objects';
import type { Clock } from '../core';
import type { ImageTarget } from '../pipeline';
import { writeJson } from '../pipeline';
import { fleetKeys, writeItems } from './items';
import { FleetRunId, EnumerateInput, type EnumerateOutput, type SkippedItems } from './schemas';
import { stepBinding } from '../pipeline';

/** The longest run id (see `FleetRunId`) and the hex digits of a name's hash in a made one. */
const MAX_RUN_ID = 48;
const RUN_ID_HASH_HEX = 12;

/** Lists the images the fleet run re-checks: ECR in the cloud (shared/aws/ecr/fleet-lister.ts). */
export interface FleetLister {
  /**
   * Every image of the watched repositories, by digest (order and duplicates do not matter),
   * and what was left out.
   */
  list(): Promise<FleetListing>;
}

export interface FleetListing {
  readonly images: readonly ImageTarget[];
  readonly skipped: SkippedItems;
}

/** Nothing skipped. */
export const NONE_SKIPPED: SkippedItems = { artifacts: {}, promotionCopies: 0 };

export interface EnumerateDeps {
  readonly lister: FleetLister;
  readonly store: ObjectStore;
  readonly clock: Clock;
  /** The artifacts bucket, handed on for the Distributed Map's ItemReader. */
  readonly bucket?: string;
}

/** The Enumerate state: the watched images → `fleet/<runId>/items.jsonl` for the Distributed Map. */
export const ENUMERATE_STEP = stepBinding('Enumerate', EnumerateInput, enumerateFleet);

/**
 * The Enumerate step: lists the fleet and writes the items file `fleet/<runId>/items.jsonl`
 * (one `ImageTarget` a line, in a deterministic order) for the Distributed Map to read, and
 * names the prefix its ResultWriter writes under. A retried Enumerate rewrites the same key.
 * Without a run id the run is named after the time. What the listing left out (artifacts,
 * promotion copies) is counted in `fleet/<runId>/skipped.json`, for the summary.
 */
export async function enumerateFleet(
  input: EnumerateInput,
  deps: EnumerateDeps,
): Promise<EnumerateOutput> {
  const startedAt = deps.clock();
  const runId = fleetRunId(input.runId ?? runIdAt(startedAt));
  const { images, skipped } = await deps.lister.list();
  const { key, count } = await writeItems(deps.store, runId, images);
  await writeJson(deps.store, fleetKeys(runId).skipped, skipped);
  return {
    runId,
    itemsKey: key,
    resultsPrefix: fleetKeys(runId).results,
    ...(deps.bucket !== undefined && { bucket: deps.bucket }),
    count,
    skipped,
    startedAt: startedAt.toISOString(),
  };
}

/**
 * A run id from a name: the name itself when it is one (an execution's UUID, say); otherwise
 * its key-safe characters, others as `-`, shortened to fit, and a hash of the whole name, so
 * that two names never share a run id.
 */
export function fleetRunId(name: string): string {
  if (FleetRunId.safeParse(name).success) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, RUN_ID_HASH_HEX);
  const safe = name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, MAX_RUN_ID - RUN_ID_HASH_HEX - 1);
  return `${safe}-${hash}`;
}

/** A run id from a time: `2026-01-02T03:04:05.678Z` → `20260102T030405Z`. */
export function runIdAt(time: Date): string {
  return `${time.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}
