import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { EpssScore, EpssVersion, KevEntry, KevVersion, PriorityRows } from '../../priority';
import type { Item } from './table';

/*
 * KEV entries and EPSS scores in the vulnerability table, as a few large items rather than one
 * per CVE (EPSS scores some 300,000 CVEs every day: an item each would be 300,000 writes a day):
 *
 *   pk                               sk     attributes
 *   PRIO#kev#<catalogVersion>#<n>    ROWS   rows (deflated JSON: CVE → entry)
 *   PRIO#epss#<scoreDate>#<n>        ROWS   rows (deflated JSON: CVE → [score, percentile])
 *
 * `n` is a bucket of the CVE (sha256, modulo the source's bucket count); a lookup reads the
 * bucket of each CVE of the current version (META's `kev`/`epss`). A version's items are all
 * written before META names it, and the previous version's deleted after.
 */

const BUCKETS = { kev: 16, epss: 256 } as const;
const ROWS_SK = 'ROWS';

export type PrioritySourceKind = PriorityRows['kind'];

/** The version string that names a source's items. */
export function versionKey(data: Pick<PriorityRows, 'kind' | 'version'>): string {
  return data.kind === 'kev'
    ? (data.version as KevVersion).catalogVersion
    : (data.version as EpssVersion).scoreDate;
}

export function bucketOf(kind: PrioritySourceKind, cve: string): number {
  return createHash('sha256').update(cve).digest().readUInt32BE(0) % BUCKETS[kind];
}

export function bucketKey(kind: PrioritySourceKind, version: string, bucket: number): Item {
  return { pk: { S: `PRIO#${kind}#${version}#${bucket}` }, sk: { S: ROWS_SK } };
}

/** Every bucket key of one version of a source (to delete it). */
export function allBucketKeys(kind: PrioritySourceKind, version: string): Item[] {
  return Array.from({ length: BUCKETS[kind] }, (_, n) => bucketKey(kind, version, n));
}

/** The items of one source's version, every bucket (empty ones too: a lookup finds no CVE there). */
export function bucketItems(data: PriorityRows): Item[] {
  const version = versionKey(data);
  const buckets: Record<string, unknown>[] = Array.from({ length: BUCKETS[data.kind] }, () => ({}));
  for (const [cve, row] of data.rows)
    buckets[bucketOf(data.kind, cve)]![cve] =
      data.kind === 'kev' ? row : [(row as EpssScore).score, (row as EpssScore).percentile];
  return buckets.map((rows, n) => ({
    ...bucketKey(data.kind, version, n),
    rows: { B: deflateRawSync(JSON.stringify(rows)) },
  }));
}

/** The rows of a bucket item (an absent item has none). */
export function readBucket(item: Item | undefined): Record<string, unknown> {
  const bytes = item?.rows?.B;
  if (bytes === undefined) return {};
  return JSON.parse(inflateRawSync(bytes).toString('utf8')) as Record<string, unknown>;
}

/** A KEV entry or EPSS score of `cve` from its bucket's rows. */
export function rowOf(
  kind: PrioritySourceKind,
  rows: Record<string, unknown>,
  cve: string,
  date: string,
): KevEntry | EpssScore | undefined {
  const row = rows[cve];
  if (row === undefined) return undefined;
  if (kind === 'kev') return row as KevEntry;
  const [score, percentile] = row as [number, number];
  return { score, percentile, date };
}
