import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSqlite } from '../../core';
import { RpmError } from './errors';

/** The rows rpm's sqlite backend keeps headers in (rpm's `lib/backend/sqlite.c`). */
const PACKAGES_QUERY = 'SELECT hnum, blob FROM Packages ORDER BY hnum';

/**
 * The header blobs of an `rpmdb.sqlite` database (RHEL 9, Fedora, Amazon Linux 2023). SQLite
 * reads from a path, so the bytes go to a private temporary directory that is always removed;
 * the database is opened read-write there because rpm leaves it in WAL mode, which a read-only
 * connection cannot open without its `-shm` file. Throws `RpmError` when SQLite cannot read it.
 */
export function sqliteBlobs(bytes: Buffer): Buffer[] {
  const dir = mkdtempSync(join(tmpdir(), 'clearance-rpmdb-'));
  try {
    const path = join(dir, 'rpmdb.sqlite');
    writeFileSync(path, bytes);
    const db = new (loadSqlite().DatabaseSync)(path);
    try {
      return db
        .prepare(PACKAGES_QUERY)
        .all()
        .map((row, i) => blobOf(row.blob, i));
    } finally {
      db.close();
    }
  } catch (error) {
    if (error instanceof RpmError) throw error;
    throw new RpmError('RPM_BAD_DATABASE', `sqlite: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function blobOf(value: unknown, row: number): Buffer {
  if (!(value instanceof Uint8Array))
    throw new RpmError(
      'RPM_BAD_DATABASE',
      `sqlite: row ${row}: expected a blob, got ${typeof value}`,
    );
  return Buffer.from(value);
}
