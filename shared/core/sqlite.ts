import type * as Sqlite from 'node:sqlite';

/**
 * `node:sqlite`, loaded on first use: Node 22 prints an "experimental" warning when it loads,
 * which every command would otherwise show whether or not it needs a database.
 */
export function loadSqlite(): typeof Sqlite {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred load, see above
  return require('node:sqlite') as typeof Sqlite;
}
