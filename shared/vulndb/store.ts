import type { EpssVersion, KevVersion, PriorityLookup } from '../priority';
import type { AliasSeverity, PackageAdvisory, PackageQuery } from './advisory';

export type { PackageQuery };

/** What the data is, so that every finding can say which data decided it. */
export interface DataVersion {
  /**
   * sha256 over every stored record's id and `modified`, in id order: equal data, equal hash;
   * with KEV or EPSS data, over that and their versions (`priorityContentHash`).
   */
  readonly contentHash: string;
  /** The newest `modified` among the records; null for an empty store. */
  readonly newestModified: string | null;
  /** When data was last written to the store. */
  readonly updatedAt: string | null;
  readonly records: number;
  /** Advisories per ecosystem key. */
  readonly ecosystems: Readonly<Record<string, number>>;
  /** The KEV catalog the store holds; absent when it holds none. */
  readonly kev?: KevVersion;
  /** The EPSS scores the store holds; absent when it holds none. */
  readonly epss?: EpssVersion;
}

/**
 * Where advisories live: the local store for the CLI, DynamoDB for the cloud pipeline. The
 * matcher asks only for the packages of the image it scans, and reads what the store computed
 * from each record when it was imported (`indexRecord` in advisory.ts).
 */
export interface VulnerabilityStore {
  /**
   * The advisories naming each queried package, keyed `ecosystem\0name` as queried, in id
   * order; withdrawn ones left out.
   */
  advisoriesFor(queries: readonly PackageQuery[]): Promise<Map<string, PackageAdvisory[]>>;
  /**
   * The severities given by the records that name each of `aliases` as their id, an alias or
   * an upstream id (a CVE's other advisories), in id order; records that give none, and
   * withdrawn ones, left out.
   */
  severitiesByAlias(aliases: readonly string[]): Promise<Map<string, AliasSeverity[]>>;
  dataVersion(): Promise<DataVersion>;
  /**
   * The KEV entries and EPSS scores of `cves` (null for a source the store holds no data of).
   * @default - a store without it has no priority data: findings carry no `kev`/`epss`
   */
  priorityFor?(cves: readonly string[]): Promise<PriorityLookup>;
}

export function queryKey(query: PackageQuery): string {
  return `${query.ecosystem}\0${query.name}`;
}

const HOUR_MS = 3_600_000;

/**
 * How stale the data is: hours from its newest advisory change (`newestModified`) to `now`,
 * null for an empty store. Not hours since the last sync (`updatedAt`): a sync that keeps
 * succeeding on an export that stopped changing, or on one ecosystem of several, would look
 * fresh by that measure, while OSV's exports change many times a day, so the newest change
 * falls behind by hours only when our data does. Never negative (a clock a little behind).
 */
export function dataAgeHours(
  version: Pick<DataVersion, 'newestModified'>,
  now: Date,
): number | null {
  if (version.newestModified === null) return null;
  const hours = (now.getTime() - Date.parse(version.newestModified)) / HOUR_MS;
  return Math.max(0, Math.round(hours * 100) / 100);
}
