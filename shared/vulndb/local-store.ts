import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { loadSqlite } from '../core/sqlite';
import { ecosystemKeyString, parseEcosystem } from '../osv/ecosystem';
import type { OsvRecord } from '../osv/record';
import { VulnDbError } from './errors';
import { normalizePackageName } from './names';
import { queryKey, type DataVersion, type PackageQuery, type VulnerabilityStore } from './store';

/** Bumped when the file layout changes; an older store is refused with a message to re-import. */
const SCHEMA_VERSION = '1';
const FILE = 'osv.sqlite';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS records (
    id TEXT PRIMARY KEY, modified TEXT NOT NULL, withdrawn TEXT, body BLOB NOT NULL, details BLOB
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS packages (
    ecosystem TEXT NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL,
    PRIMARY KEY (ecosystem, name, id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS packages_by_id ON packages (id);
  CREATE TABLE IF NOT EXISTS aliases (
    alias TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (alias, id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS aliases_by_id ON aliases (id);
`;

/** What writing one record did: a newer `modified` replaces, an equal or older one is ignored. */
export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged';

/**
 * The CLI's vulnerability store: one SQLite file (`osv.sqlite`) in a directory, records kept
 * compressed by id (their `details` prose apart, as lookups do not need it), with an index of (ecosystem key, normalised package name) → id so that a
 * scan reads only the advisories of the packages it has.
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
   * fails.
   */
  async transaction<T>(
    work: (add: (record: OsvRecord) => UpsertOutcome) => Promise<T>,
    now: Date = new Date(),
  ): Promise<T> {
    const writer = new Writer(this.db);
    this.db.exec('BEGIN');
    try {
      const result = await work((record) => writer.upsert(record));
      this.finishImport(now);
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  advisoriesFor(queries: readonly PackageQuery[]): Promise<Map<string, OsvRecord[]>> {
    const select = this.db.prepare(
      `SELECT r.id AS id, r.body AS body FROM packages p JOIN records r ON r.id = p.id
       WHERE p.ecosystem = ? AND p.name = ? AND r.withdrawn IS NULL ORDER BY r.id`,
    );
    const parsed = new Map<string, OsvRecord>();
    const found = new Map<string, OsvRecord[]>();
    for (const query of queries) {
      const name = normalizePackageName(query.ecosystem.split(':')[0]!, query.name);
      const rows = select.all(query.ecosystem, name) as { id: string; body: Uint8Array }[];
      if (rows.length === 0) continue;
      found.set(
        queryKey(query),
        rows.map((row) => cached(parsed, row.id, () => decode(row.body))),
      );
    }
    return Promise.resolve(found);
  }

  recordsByAlias(aliases: readonly string[]): Promise<Map<string, OsvRecord[]>> {
    const select = this.db.prepare(
      `SELECT r.id AS id, r.body AS body FROM aliases a JOIN records r ON r.id = a.id
       WHERE a.alias = ? AND r.withdrawn IS NULL ORDER BY r.id`,
    );
    const parsed = new Map<string, OsvRecord>();
    const found = new Map<string, OsvRecord[]>();
    for (const alias of new Set(aliases)) {
      const rows = select.all(alias) as { id: string; body: Uint8Array }[];
      if (rows.length > 0)
        found.set(
          alias,
          rows.map((row) => cached(parsed, row.id, () => decode(row.body))),
        );
    }
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

  /** Recomputes the data version from what the store now holds. */
  private finishImport(now: Date): void {
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
          .prepare(
            `SELECT p.ecosystem AS ecosystem, COUNT(DISTINCT p.id) AS n FROM packages p
             JOIN records r ON r.id = p.id WHERE r.withdrawn IS NULL GROUP BY p.ecosystem`,
          )
          .all() as { ecosystem: string; n: number }[]
      ).map((row) => [row.ecosystem, Number(row.n)]),
    );
    const put = this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    put.run('contentHash', `sha256:${hash.digest('hex')}`);
    if (newest !== null) put.run('newestModified', newest);
    put.run('updatedAt', now.toISOString());
    put.run('records', String(records));
    put.run('ecosystems', JSON.stringify(ecosystems));
  }
}

/** Prepared statements for one import. */
class Writer {
  private readonly current: StatementSync;
  private readonly putRecord: StatementSync;
  private readonly dropPackages: StatementSync;
  private readonly putPackage: StatementSync;
  private readonly dropAliases: StatementSync;
  private readonly putAlias: StatementSync;

  constructor(db: DatabaseSync) {
    this.current = db.prepare('SELECT modified FROM records WHERE id = ?');
    this.putRecord = db.prepare(
      'INSERT OR REPLACE INTO records (id, modified, withdrawn, body, details) VALUES (?, ?, ?, ?, ?)',
    );
    this.dropPackages = db.prepare('DELETE FROM packages WHERE id = ?');
    this.putPackage = db.prepare(
      'INSERT OR IGNORE INTO packages (ecosystem, name, id) VALUES (?, ?, ?)',
    );
    this.dropAliases = db.prepare('DELETE FROM aliases WHERE id = ?');
    this.putAlias = db.prepare('INSERT OR IGNORE INTO aliases (alias, id) VALUES (?, ?)');
  }

  upsert(record: OsvRecord): UpsertOutcome {
    const existing = this.current.get(record.id) as { modified: string } | undefined;
    if (existing !== undefined && Date.parse(existing.modified) >= Date.parse(record.modified))
      return 'unchanged';
    // `details` (long prose, unused by matching) is kept apart so lookups decode less.
    const { details, ...matched } = record;
    const kept = details === undefined ? null : deflateRawSync(details);
    this.putRecord.run(record.id, record.modified, record.withdrawn ?? null, encode(matched), kept);
    if (existing !== undefined) {
      this.dropPackages.run(record.id);
      this.dropAliases.run(record.id);
    }
    for (const alias of [record.id, ...record.aliases, ...record.upstream])
      this.putAlias.run(alias, record.id);
    for (const affected of record.affected) {
      const key = parseEcosystem(affected.ecosystem);
      const name = normalizePackageName(key.ecosystem, affected.name);
      this.putPackage.run(ecosystemKeyString(key), name, record.id);
    }
    return existing === undefined ? 'inserted' : 'updated';
  }
}

function encode(record: Omit<OsvRecord, 'details'>): Uint8Array {
  return deflateRawSync(JSON.stringify(record));
}

function decode(body: Uint8Array): OsvRecord {
  return JSON.parse(inflateRawSync(body).toString('utf8')) as OsvRecord;
}

function cached<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

function emptyHash(): string {
  return `sha256:${createHash('sha256').digest('hex')}`;
}
