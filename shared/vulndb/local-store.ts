import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { join } from 'node:path';
import { loadSqlite } from '../core/sqlite';
import type { OsvRecord } from '../osv/record';
import type { SeverityAssessment } from '../osv/severity';
import { indexRecord, type AliasSeverity, type PackageAdvisory } from './advisory';
import { VulnDbError } from './errors';
import { normalizePackageName } from './names';
import { queryKey, type DataVersion, type PackageQuery, type VulnerabilityStore } from './store';

/** Bumped when the file layout changes; an older store is refused with a message to re-import. */
const SCHEMA_VERSION = '2';
const FILE = 'osv.sqlite';
/**
 * SQLite's page cache while importing, in KiB: the default 2 MiB makes an import of a few
 * hundred thousand records spill pages to the file mid-transaction, over and over.
 */
const IMPORT_CACHE_KIB = 32 * 1024;
/** A transaction that writes at least 1/8 of the store's records rewrites the file after it. */
const VACUUM_AFTER_SHARE = 8;

/*
 * `records` keeps each advisory's id and `modified` (what the data version hashes, and what an
 * upsert compares); the lookups read only `packages` (the advisory as one package sees it) and
 * `severities` (the severity a record gives, by each of its ids), both computed at import.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS records (
    id TEXT PRIMARY KEY, modified TEXT NOT NULL, withdrawn TEXT
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS packages (
    ecosystem TEXT NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL, advisory TEXT NOT NULL,
    PRIMARY KEY (ecosystem, name, id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS packages_by_id ON packages (id);
  CREATE TABLE IF NOT EXISTS severities (
    alias TEXT NOT NULL, id TEXT NOT NULL, severity TEXT NOT NULL, PRIMARY KEY (alias, id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS severities_by_id ON severities (id);
`;

/** What writing one record did: a newer `modified` replaces, an equal or older one is ignored. */
export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged';

/**
 * The CLI's vulnerability store: one SQLite file (`osv.sqlite`) in a directory. Each record is
 * indexed at import by (ecosystem key, normalised package name) and by alias, so that a scan
 * reads only the small rows of the packages it has.
 */
export class LocalStore implements VulnerabilityStore {
  private constructor(private readonly db: DatabaseSync) {}

  /** Opens the store in `dir`; `create` makes it (and the directory) when missing. */
  static open(dir: string, options: { create?: boolean } = {}): LocalStore {
    if (options.create) mkdirSync(dir, { recursive: true });
    let db: DatabaseSync;
    try {
      db = new (loadSqlite().DatabaseSync)(join(dir, FILE), { readOnly: !options.create });
    } catch (error) {
      throw new VulnDbError(
        'VULNDB_MISSING',
        `no vulnerability data in ${dir}: run "clearance db update" or "clearance db import" first`,
        { cause: error },
      );
    }
    const store = new LocalStore(db);
    store.prepareSchema(options.create === true);
    return store;
  }

  close(): void {
    this.db.close();
  }

  /**
   * Writes many records in one transaction, then recomputes the data version; `add` returns
   * what each record did; `now` is recorded as the update time. Nothing is written when `work`
   * fails. A transaction that wrote a good part of the store ends by rewriting the file in key
   * order (VACUUM): rows inserted in the order of an export lie scattered over the file, and a
   * scan, which looks its packages up in key order, would read pages from all over the disk.
   */
  async transaction<T>(
    work: (add: (record: OsvRecord) => UpsertOutcome) => Promise<T>,
    now: Date = new Date(),
  ): Promise<T> {
    this.db.exec(`PRAGMA cache_size = -${IMPORT_CACHE_KIB}`);
    const writer = new Writer(this.db);
    this.db.exec('BEGIN');
    let result: T;
    let records: number;
    try {
      result = await work((record) => writer.upsert(record));
      records = this.finishImport(now);
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
    if (writer.written * VACUUM_AFTER_SHARE >= records && writer.written > 0)
      this.db.exec('VACUUM');
    return result;
  }

  advisoriesFor(queries: readonly PackageQuery[]): Promise<Map<string, PackageAdvisory[]>> {
    const select = this.db.prepare(
      'SELECT advisory FROM packages WHERE ecosystem = ? AND name = ? ORDER BY id',
    );
    const byKey = new Map(queries.map((query) => [queryKey(query), query]));
    const found = this.lookUp([...byKey.keys()], (key) => {
      const { ecosystem, name } = byKey.get(key)!;
      const rows = select.all(ecosystem, normalizePackageName(ecosystem.split(':')[0]!, name)) as {
        advisory: string;
      }[];
      return rows.map((row) => JSON.parse(row.advisory) as PackageAdvisory);
    });
    return Promise.resolve(found);
  }

  severitiesByAlias(aliases: readonly string[]): Promise<Map<string, AliasSeverity[]>> {
    const select = this.db.prepare(
      'SELECT id, severity FROM severities WHERE alias = ? ORDER BY id',
    );
    const found = this.lookUp(aliases, (alias) =>
      (select.all(alias) as { id: string; severity: string }[]).map((row) => ({
        id: row.id,
        severity: JSON.parse(row.severity) as SeverityAssessment,
      })),
    );
    return Promise.resolve(found);
  }

  dataVersion(): Promise<DataVersion> {
    const meta = new Map(
      (
        this.db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]
      ).map((row) => [row.key, row.value]),
    );
    return Promise.resolve({
      contentHash: meta.get('contentHash') ?? emptyHash(),
      newestModified: meta.get('newestModified') ?? null,
      updatedAt: meta.get('updatedAt') ?? null,
      records: Number(meta.get('records') ?? 0),
      ecosystems: JSON.parse(meta.get('ecosystems') ?? '{}') as Record<string, number>,
    });
  }

  /**
   * `find` for each distinct key, all in one read transaction: one snapshot of the data, and one
   * file lock instead of one per statement (each costs system calls, ~20 µs apiece on a small
   * VM). Keys are looked up in sorted order, so that neighbouring lookups share the pages they
   * read; the result follows the order of `keys`, without the keys that found nothing.
   */
  private lookUp<T>(keys: readonly string[], find: (key: string) => T[]): Map<string, T[]> {
    const distinct = [...new Set(keys)];
    const found = new Map<string, T[]>();
    this.db.exec('BEGIN');
    try {
      for (const key of [...distinct].sort()) found.set(key, find(key));
    } finally {
      this.db.exec('COMMIT');
    }
    return new Map(
      distinct.flatMap((key) => (found.get(key)!.length > 0 ? [[key, found.get(key)!]] : [])),
    );
  }

  private prepareSchema(create: boolean): void {
    if (create) this.db.exec(SCHEMA);
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as
      { value: string } | undefined;
    if (row === undefined && create) {
      this.db.prepare("INSERT INTO meta (key, value) VALUES ('schema', ?)").run(SCHEMA_VERSION);
    } else if (row?.value !== SCHEMA_VERSION) {
      throw new VulnDbError(
        'VULNDB_INCOMPATIBLE',
        `the vulnerability store has layout ${row?.value ?? 'none'}, this version reads ${SCHEMA_VERSION}: import the data again into a new directory`,
      );
    }
  }

  /** Recomputes the data version from what the store now holds; returns its record count. */
  private finishImport(now: Date): number {
    const hash = createHash('sha256');
    let records = 0;
    let newest: string | null = null;
    for (const row of this.db.prepare('SELECT id, modified FROM records ORDER BY id').iterate()) {
      const { id, modified } = row as { id: string; modified: string };
      hash.update(`${id}\0${modified}\n`);
      records++;
      if (newest === null || Date.parse(modified) > Date.parse(newest)) newest = modified;
    }
    const ecosystems = Object.fromEntries(
      (
        this.db
          .prepare('SELECT ecosystem, COUNT(DISTINCT id) AS n FROM packages GROUP BY ecosystem')
          .all() as { ecosystem: string; n: number }[]
      ).map((row) => [row.ecosystem, Number(row.n)]),
    );
    const put = this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    put.run('contentHash', `sha256:${hash.digest('hex')}`);
    if (newest !== null) put.run('newestModified', newest);
    put.run('updatedAt', now.toISOString());
    put.run('records', String(records));
    put.run('ecosystems', JSON.stringify(ecosystems));
    return records;
  }
}

/** Prepared statements for one import. */
class Writer {
  /** Records inserted or updated so far. */
  written = 0;
  private readonly current: StatementSync;
  private readonly putRecord: StatementSync;
  private readonly dropPackages: StatementSync;
  private readonly putPackage: StatementSync;
  private readonly dropSeverities: StatementSync;
  private readonly putSeverity: StatementSync;

  constructor(db: DatabaseSync) {
    this.current = db.prepare('SELECT modified FROM records WHERE id = ?');
    this.putRecord = db.prepare(
      'INSERT OR REPLACE INTO records (id, modified, withdrawn) VALUES (?, ?, ?)',
    );
    this.dropPackages = db.prepare('DELETE FROM packages WHERE id = ?');
    this.putPackage = db.prepare(
      'INSERT OR REPLACE INTO packages (ecosystem, name, id, advisory) VALUES (?, ?, ?, ?)',
    );
    this.dropSeverities = db.prepare('DELETE FROM severities WHERE id = ?');
    this.putSeverity = db.prepare(
      'INSERT OR REPLACE INTO severities (alias, id, severity) VALUES (?, ?, ?)',
    );
  }

  upsert(record: OsvRecord): UpsertOutcome {
    const existing = this.current.get(record.id) as { modified: string } | undefined;
    if (existing !== undefined && Date.parse(existing.modified) >= Date.parse(record.modified))
      return 'unchanged';
    this.putRecord.run(record.id, record.modified, record.withdrawn ?? null);
    this.written++;
    if (existing !== undefined) {
      this.dropPackages.run(record.id);
      this.dropSeverities.run(record.id);
    }
    const index = indexRecord(record);
    for (const { query, advisory } of index.packages)
      this.putPackage.run(query.ecosystem, query.name, record.id, JSON.stringify(advisory));
    if (index.severity !== undefined) {
      const severity = JSON.stringify(index.severity.severity);
      for (const alias of index.aliases) this.putSeverity.run(alias, record.id, severity);
    }
    return existing === undefined ? 'inserted' : 'updated';
  }
}

function emptyHash(): string {
  return `sha256:${createHash('sha256').digest('hex')}`;
}
