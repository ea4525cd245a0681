import { mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSqlite } from '../../shared/core/sqlite';
import { importOsv } from '../../shared/vulndb/import';
import { LocalStore } from '../../shared/vulndb/local-store';

const VALID_OSV = join(__dirname, '..', 'fixtures', 'osv', 'valid');

/** A real store in `dir`, with the valid fixture records. */
export async function realStore(dir: string): Promise<string> {
  const store = LocalStore.open(dir, { create: true });
  try {
    await importOsv(store, [VALID_OSV]);
  } finally {
    store.close();
  }
  return dir;
}

export interface BrokenStore {
  /** Makes the broken store under `root`; returns what `--db` is given. */
  readonly make: (root: string) => Promise<string>;
  readonly code: 'VULNDB_CORRUPT' | 'VULNDB_LOCATION_INVALID';
  readonly message: RegExp;
}

/** What `--db` may name instead of a store, and the error each gives. */
export const BROKEN_STORES: Readonly<Record<string, BrokenStore>> = {
  'a file that is not SQLite': {
    make: (root) => inDb(root, (file) => writeFileSync(file, 'name,version\nopenssl,3.0.2\n')),
    code: 'VULNDB_CORRUPT',
    message: /osv\.sqlite is not an SQLite database: delete it and run "clearance db update"/,
  },
  'a truncated SQLite file': {
    make: async (root) => {
      const db = await realStore(join(root, 'db'));
      const file = join(db, 'osv.sqlite');
      truncateSync(file, Math.floor(readFileSync(file).length / 2));
      return db;
    },
    code: 'VULNDB_CORRUPT',
    message: /osv\.sqlite is cut short: \d+ bytes of the \d+ its header gives/,
  },
  'an SQLite file of something else': {
    make: (root) =>
      inDb(root, (file) => {
        const db = new (loadSqlite().DatabaseSync)(file);
        db.exec('CREATE TABLE accounts (name TEXT)');
        db.close();
      }),
    code: 'VULNDB_CORRUPT',
    message: /is an SQLite database but not a vulnerability store \(it has no meta table\)/,
  },
  'a store without one of its tables': {
    make: async (root) => {
      const dir = await realStore(join(root, 'db'));
      const db = new (loadSqlite().DatabaseSync)(join(dir, 'osv.sqlite'));
      db.exec('DROP TABLE packages');
      db.close();
      return dir;
    },
    code: 'VULNDB_CORRUPT',
    message: /osv\.sqlite lacks its table packages: delete it and import the data again/,
  },
  'a regular file': {
    make: (root) => {
      writeFileSync(join(root, 'db'), 'x');
      return Promise.resolve(join(root, 'db'));
    },
    code: 'VULNDB_LOCATION_INVALID',
    message: /db is a file, not a directory: --db .* name the directory that holds the store/,
  },
  // Run as root, no permission is ever denied: a file where a directory must be made stands in.
  'a directory that cannot be made or read': {
    make: (root) => {
      writeFileSync(join(root, 'blocker'), 'x');
      return Promise.resolve(join(root, 'blocker', 'db'));
    },
    code: 'VULNDB_LOCATION_INVALID',
    message: /blocker\/db: ENOTDIR: not a directory/,
  },
  'a directory whose osv.sqlite is a directory': {
    make: (root) => inDb(root, (file) => mkdirSync(file)),
    code: 'VULNDB_CORRUPT',
    message: /osv\.sqlite is not a regular file/,
  },
};

function inDb(root: string, make: (file: string) => void): Promise<string> {
  const dir = join(root, 'db');
  mkdirSync(dir, { recursive: true });
  make(join(dir, 'osv.sqlite'));
  return Promise.resolve(dir);
}
