import type { EpssScore, KevEntry, PriorityLookup, PriorityRows } from '../../priority';
import type { DataVersion } from '../../vulndb';
import {
  allBucketKeys,
  bucketItems,
  bucketKey,
  bucketOf,
  readBucket,
  rowOf,
  versionKey,
  type PrioritySourceKind,
} from './priority-items';
import { mapBounded, type Table } from './table';

/** The KEV and EPSS part of the vulnerability table (see priority-items.ts). */
export class PriorityItems {
  constructor(
    private readonly table: Table,
    private readonly concurrency: number,
  ) {}

  /** Writes one source's version, unless `current` already names it (its items are there). */
  async put(data: PriorityRows, current: DataVersion): Promise<void> {
    const stored = current[data.kind];
    if (
      stored !== undefined &&
      versionKey({ kind: data.kind, version: stored }) === versionKey(data)
    )
      return;
    await mapBounded(bucketItems(data), this.concurrency, (item) => this.table.putIf(item));
  }

  /** Deletes the items of the versions `previous` named and `next` no longer does. */
  async prune(previous: DataVersion, next: DataVersion): Promise<void> {
    for (const kind of ['kev', 'epss'] as const) {
      const old = previous[kind];
      if (old === undefined) continue;
      const oldKey = versionKey({ kind, version: old });
      const now = next[kind];
      if (now !== undefined && versionKey({ kind, version: now }) === oldKey) continue;
      await mapBounded(allBucketKeys(kind, oldKey), this.concurrency, (key) =>
        this.table.deleteIf(key, { expression: 'attribute_exists(pk)' }),
      );
    }
  }

  /** What the version `current` names holds of `cves`; null for a source it does not name. */
  async lookUp(cves: readonly string[], current: DataVersion): Promise<PriorityLookup> {
    const distinct = [...new Set(cves)].sort();
    return {
      kev: current.kev
        ? ((await this.source('kev', current.kev.catalogVersion, '', distinct)) as Map<
            string,
            KevEntry
          >)
        : null,
      epss: current.epss
        ? ((await this.source(
            'epss',
            current.epss.scoreDate,
            current.epss.scoreDate,
            distinct,
          )) as Map<string, EpssScore>)
        : null,
    };
  }

  private async source(
    kind: PrioritySourceKind,
    version: string,
    date: string,
    cves: readonly string[],
  ): Promise<Map<string, KevEntry | EpssScore>> {
    const buckets = [...new Set(cves.map((cve) => bucketOf(kind, cve)))];
    const items = await mapBounded(buckets, this.concurrency, async (n) =>
      readBucket(await this.table.get(bucketKey(kind, version, n))),
    );
    const byBucket = new Map(buckets.map((n, i) => [n, items[i]!]));
    const found = new Map<string, KevEntry | EpssScore>();
    for (const cve of cves) {
      const row = rowOf(kind, byBucket.get(bucketOf(kind, cve))!, cve, date);
      if (row !== undefined) found.set(cve, row);
    }
    return found;
  }
}
