import type { DatabaseSync } from 'node:sqlite';
import { VulnDbError } from './errors';

/**
 * Bumped when the file layout or what its rows hold changes; an older store is refused with a
 * message to re-import. 3: Go advisories keep their `imports` (packages, platforms, symbols).
 */
const SCHEMA_VERSION = '3';
/** The store's one file, in the directory `--db` names. */
export const STORE_FILE = 'osv.sqlite';
/** The tables of {@link SCHEMA}: a store without one of them is damaged. */
const TABLES = ['meta', 'records', 'packages', 'severities'] as const;
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

/**
 * Checks the store's layout: its version, and that its tables are there. A new (empty) file
 * opened with `create` is given the schema; an SQLite file of something else is refused.
 */
export function prepareSchema(db: DatabaseSync, file: string, create: boolean): void {
  const tables = new Set(
    (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
        name: string;
      }[]
    ).map((row) => row.name),
  );
  if (tables.size === 0 && create) {
    db.exec(SCHEMA);
    db.prepare("INSERT INTO meta (key, value) VALUES ('schema', ?)").run(SCHEMA_VERSION);
    return;
  }
  if (!tables.has('meta'))
    throw new VulnDbError(
      'VULNDB_CORRUPT',
      `${file} is an SQLite database but not a vulnerability store (it has no meta table${tables.size === 0 ? ', no table at all' : ''}): give --db a directory of its own, or delete the file and import again`,
    );
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as
    { value: string } | undefined;
  if (row?.value !== SCHEMA_VERSION) {
    throw new VulnDbError(
      'VULNDB_INCOMPATIBLE',
      `the vulnerability store has layout ${row?.value ?? 'none'}, this version reads ${SCHEMA_VERSION}: import the data again into a new directory`,
    );
  }
  const missing = TABLES.filter((table) => !tables.has(table));
  if (missing.length > 0)
    throw new VulnDbError(
      'VULNDB_CORRUPT',
      `the vulnerability store ${file} lacks its table${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: delete it and import the data again`,
    );
}
