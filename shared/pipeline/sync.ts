import type { OsvRecord } from '../osv';
import type { RetryOptions } from '../registry';
import { readOsv, type ImportSource, type OsvRead } from '../vulndb';
import type { UpsertOutcome } from '../vulndb';
import { dataAgeHours, type DataVersion } from '../vulndb';
import { downloadOsvExports, exportSources, splitPrioritySources } from '../vulndb';
import type { PriorityImport } from '../vulndb';
import { auditEventId } from './audit-events';
import { PipelineError } from './errors';
import type { AuditEvent, AuditLog } from '../audit';
import type { Clock } from '../core';
import { DataVersionTally } from './sync-version';
import { syncPriority, withPriorityVersions, type PriorityTarget } from './sync-priority';

/** Upserts in flight at once: each is a few DynamoDB requests of a few milliseconds. */
const DEFAULT_CONCURRENCY = 32;
/** Stop this long before the function's deadline, so that it ends with an error of its own. */
const DEADLINE_MARGIN_MS = 60_000;

/** Where the sync writes: the cloud store (`DynamoDbVulnerabilityStore`) or a stand-in. */
export interface SyncTarget extends PriorityTarget {
  /** Stores `record` unless an equal or newer `modified` is stored. */
  upsert(record: OsvRecord, now: Date): Promise<UpsertOutcome>;
  /** Records the data version of what the store now holds. */
  writeDataVersion(version: DataVersion): Promise<void>;
}

export interface SyncDeps {
  readonly target: SyncTarget;
  readonly clock: Clock;
  /** OSV ecosystems to sync (`CLEARANCE_ECOSYSTEMS`), and `KEV`/`EPSS` for the priority data. */
  readonly ecosystems: readonly string[];
  /** Where exports are downloaded (`/tmp/…` in Lambda) and kept with their ETags. */
  readonly downloadDir: string;
  /** @default - OSV's public bucket */
  readonly baseUrl?: string;
  /** Where Amazon Linux's mirror lists are (`CLEARANCE_ALAS_BASE_URL`). @default - Amazon's CDN */
  readonly alasBaseUrl?: string;
  /** @default - CISA's feed */
  readonly kevUrl?: string;
  /** @default - FIRST's current scores */
  readonly epssUrl?: string;
  readonly retry?: RetryOptions;
  /** @default 32 */
  readonly concurrency?: number;
  /** Time left before the function must have answered, in ms. @default - no deadline */
  readonly remainingMs?: () => number;
  /** @default - the data update is not audited */
  readonly audit?: AuditLog;
}

/** What a sync did, and the data version it recorded. */
export interface SyncResult {
  /** The data version's content hash: what verdicts record. */
  readonly dataVersion: string;
  readonly records: number;
  /** Advisories per ecosystem key (`Debian:12`, `npm`). */
  readonly ecosystems: Readonly<Record<string, number>>;
  readonly newestModified: string | null;
  readonly updatedAt: string;
  /** Hours since `newestModified`: how far the data is behind the world (see {@link dataAgeHours}). */
  readonly ageHours: number | null;
  readonly downloaded: readonly string[];
  readonly notModified: readonly string[];
  /** The KEV catalog and EPSS scores the data version now names; absent when neither. */
  readonly priority?: PriorityImport;
  readonly imported: {
    readonly read: number;
    readonly inserted: number;
    readonly updated: number;
    readonly unchanged: number;
    readonly malformed: number;
  };
}

/**
 * The SyncVulnerabilityData step: downloads each ecosystem's OSV export, and Amazon Linux's
 * updateinfo files for `Amazon Linux:2` and `Amazon Linux:2023`, and the KEV catalog and EPSS
 * scores when `ecosystems` names `KEV`/`EPSS` (as `clearance db update` does), upserts every record into the target by `modified` (an unchanged record costs
 * one read), then records the data version of what it imported. Every export is read each time,
 * a 304 included: a sync that stopped half-way is finished by the next. A failed download is
 * transient (retried); an export that is not a zip is input. A sync about to run out of time
 * stops with the transient `SYNC_INCOMPLETE`, without a data version, and the retry goes on
 * where it stopped (what was written is unchanged the second time).
 */
export async function syncVulnerabilityData(deps: SyncDeps): Promise<SyncResult> {
  if (deps.ecosystems.length === 0)
    throw new PipelineError(
      'MISCONFIGURED',
      'no OSV ecosystem to sync: the configuration names none (`ecosystems`)',
    );
  const now = deps.clock();
  const { downloaded, notModified } = await downloadOsvExports({
    ecosystems: deps.ecosystems,
    downloadDir: deps.downloadDir,
    ...(deps.baseUrl !== undefined && { baseUrl: deps.baseUrl }),
    ...(deps.alasBaseUrl !== undefined && { alasBaseUrl: deps.alasBaseUrl }),
    ...(deps.kevUrl !== undefined && { kevUrl: deps.kevUrl }),
    ...(deps.epssUrl !== undefined && { epssUrl: deps.epssUrl }),
    ...(deps.retry !== undefined && { retry: deps.retry }),
  });
  const files: ImportSource[] = [];
  for (const ecosystem of deps.ecosystems)
    files.push(...(await exportSources(deps.downloadDir, ecosystem)));
  const { priority: rankings, rest } = await splitPrioritySources(files);
  const tally = new DataVersionTally();
  const imported = await upsertAll(rest, tally, deps, now);
  const priority = await syncPriority(deps.target, rankings);
  const version = withPriorityVersions(tally.version(now), priority);
  await deps.target.writeDataVersion(version);
  await deps.audit?.append([updateEvent(version, { downloaded, notModified, imported })]);
  return {
    dataVersion: version.contentHash,
    records: version.records,
    ecosystems: version.ecosystems,
    newestModified: version.newestModified,
    updatedAt: version.updatedAt ?? now.toISOString(),
    ageHours: dataAgeHours(version, now),
    downloaded,
    notModified,
    ...((priority.kev ?? priority.epss) !== undefined && { priority }),
    imported,
  };
}

async function upsertAll(
  files: readonly ImportSource[],
  tally: DataVersionTally,
  deps: SyncDeps,
  now: Date,
): Promise<SyncResult['imported']> {
  const counts = { read: 0, inserted: 0, updated: 0, unchanged: 0, malformed: 0 };
  const pool = new Pool(deps.concurrency ?? DEFAULT_CONCURRENCY);
  const take = async (read: OsvRead): Promise<void> => {
    counts.read++;
    if ('reason' in read) {
      counts.malformed++;
      return;
    }
    if (deps.remainingMs !== undefined && deps.remainingMs() < DEADLINE_MARGIN_MS)
      throw new PipelineError(
        'SYNC_INCOMPLETE',
        `stopped after ${counts.read - 1} records to end before the function's deadline; the next attempt goes on`,
        'transient',
      );
    tally.add(read.record);
    await pool.run(async () => {
      counts[await deps.target.upsert(read.record, now)]++;
    });
  };
  try {
    await readOsv(files, take);
  } finally {
    await pool.drain();
  }
  pool.rethrow();
  return counts;
}

/** At most `limit` upserts at once; the first failure fails the sync. */
class Pool {
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  constructor(private readonly limit: number) {}

  async run(work: () => Promise<void>): Promise<void> {
    this.rethrow();
    while (this.running.size >= this.limit) await Promise.race(this.running);
    const task: Promise<void> = work()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  async drain(): Promise<void> {
    await Promise.all(this.running);
  }

  rethrow(): void {
    if (this.failure !== undefined) throw this.failure.error;
  }
}

function updateEvent(
  version: DataVersion,
  details: Pick<SyncResult, 'downloaded' | 'notModified' | 'imported'>,
): AuditEvent {
  return {
    id: auditEventId(version.contentHash, 'vulnerability-data.updated'),
    type: 'vulnerability-data.updated',
    time: version.updatedAt!,
    actor: 'schedule',
    details: {
      records: version.records,
      newestModified: version.newestModified,
      ecosystems: version.ecosystems,
      ...details,
    },
    versions: { dataVersion: version.contentHash },
  };
}
