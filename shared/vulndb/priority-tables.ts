import type { DatabaseSync } from 'node:sqlite';
import type { EpssScore, EpssVersion, KevEntry, KevVersion, PriorityLookup } from '../priority';

/*
 * KEV entries and EPSS scores, beside the advisories. Each source is replaced whole on import
 * (the catalog and the score file are complete lists), and its version kept in `meta` (`kev`,
 * `epss`): no version, no data of that source. The tables are made when first written, so a
 * store of the same layout without them reads as "no KEV/EPSS data".
 */
const TABLES = `
  CREATE TABLE IF NOT EXISTS kev (cve TEXT PRIMARY KEY, entry TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS epss (
    cve TEXT PRIMARY KEY, score REAL NOT NULL, percentile REAL NOT NULL
  ) WITHOUT ROWID;
`;

/** The KEV and EPSS versions the store's `meta` rows hold. */
export function priorityVersions(meta: ReadonlyMap<string, string>): {
  kev?: KevVersion;
  epss?: EpssVersion;
} {
  const kev = meta.get('kev');
  const epss = meta.get('epss');
  return {
    ...(kev !== undefined && { kev: JSON.parse(kev) as KevVersion }),
    ...(epss !== undefined && { epss: JSON.parse(epss) as EpssVersion }),
  };
}

/** Replaces the KEV entries (inside the caller's transaction). */
export function writeKev(
  db: DatabaseSync,
  version: KevVersion,
  entries: readonly KevEntry[],
): void {
  db.exec(TABLES);
  db.exec('DELETE FROM kev');
  const put = db.prepare('INSERT OR REPLACE INTO kev (cve, entry) VALUES (?, ?)');
  for (const entry of entries) put.run(entry.cveID, JSON.stringify(entry));
  putMeta(db, 'kev', version);
}

/**
 * Replaces the EPSS scores with what `read` hands `put` (inside the caller's transaction),
 * then records the version `read` returns.
 */
export async function writeEpss(
  db: DatabaseSync,
  read: (put: (cve: string, score: EpssScore) => void) => Promise<EpssVersion>,
): Promise<EpssVersion> {
  db.exec(TABLES);
  db.exec('DELETE FROM epss');
  const put = db.prepare('INSERT OR REPLACE INTO epss (cve, score, percentile) VALUES (?, ?, ?)');
  const version = await read((cve, score) => put.run(cve, score.score, score.percentile));
  putMeta(db, 'epss', version);
  return version;
}

/** What the store knows of `cves` (inside the caller's read transaction). */
export function readPriority(
  db: DatabaseSync,
  meta: ReadonlyMap<string, string>,
  cves: readonly string[],
): PriorityLookup {
  const versions = priorityVersions(meta);
  return {
    kev: versions.kev === undefined ? null : kevOf(db, cves),
    epss: versions.epss === undefined ? null : epssOf(db, cves, versions.epss.scoreDate),
  };
}

function kevOf(db: DatabaseSync, cves: readonly string[]): Map<string, KevEntry> {
  const select = db.prepare('SELECT entry FROM kev WHERE cve = ?');
  const found = new Map<string, KevEntry>();
  for (const cve of cves) {
    const row = select.get(cve) as { entry: string } | undefined;
    if (row !== undefined) found.set(cve, JSON.parse(row.entry) as KevEntry);
  }
  return found;
}

function epssOf(db: DatabaseSync, cves: readonly string[], date: string): Map<string, EpssScore> {
  const select = db.prepare('SELECT score, percentile FROM epss WHERE cve = ?');
  const found = new Map<string, EpssScore>();
  for (const cve of cves) {
    const row = select.get(cve) as { score: number; percentile: number } | undefined;
    if (row !== undefined) found.set(cve, { score: row.score, percentile: row.percentile, date });
  }
  return found;
}

function putMeta(db: DatabaseSync, key: string, value: unknown): void {
  db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(
    key,
    JSON.stringify(value),
  );
}
