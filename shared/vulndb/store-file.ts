import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  statSync,
  type Stats,
} from 'node:fs';
import type { DatabaseSync } from 'node:sqlite';
import { messageOf } from '../core';
import { loadSqlite } from '../core';
import { VulnDbError } from './errors';

/*
 * Opening the local store's SQLite file so that whatever is at `--db` ends in a VulnDbError that
 * says what is wrong: a file where the directory should be, a file that is not SQLite or was cut
 * short, an SQLite file without the store's tables. node:sqlite would otherwise fail later, in
 * the middle of a scan, with "file is not a database" or "no such table".
 */

/** `SQLite format 3\0`: the first 16 bytes of every SQLite database file. */
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const HEADER_BYTES = 100;
/** A page size field of 1 means 65536 (https://www.sqlite.org/fileformat2.html#database_header). */
const PAGE_SIZE_65536 = 1;

/** SQLite result codes (the primary code: the low byte) that mean the file is damaged. */
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;

const REDO =
  'delete it and run "clearance db update" or "clearance db import" again to make a new store';

/**
 * Opens the database file `file` in the store directory `dir`: read-only, or creating the
 * directory and the file when `create`. A missing store is VULNDB_MISSING (with `missing` as
 * its message); the rest is VULNDB_LOCATION_INVALID or VULNDB_CORRUPT.
 */
export function openStoreFile(
  dir: string,
  file: string,
  options: { readonly create: boolean; readonly missing: string },
): DatabaseSync {
  const dirInfo = statOf(dir);
  if (dirInfo === undefined && !options.create)
    throw new VulnDbError('VULNDB_MISSING', options.missing);
  if (dirInfo !== undefined && !dirInfo.isDirectory())
    throw new VulnDbError(
      'VULNDB_LOCATION_INVALID',
      `${dir} is a file, not a directory: --db (and $CLEARANCE_DB_DIR) name the directory that holds the store's osv.sqlite`,
    );
  if (dirInfo === undefined) makeDirectory(dir);
  const fileInfo = statOf(file);
  if (fileInfo === undefined && !options.create)
    throw new VulnDbError('VULNDB_MISSING', options.missing);
  if (fileInfo !== undefined) checkHeader(file, fileInfo);
  try {
    return new (loadSqlite().DatabaseSync)(file, { readOnly: !options.create });
  } catch (error) {
    throw storeError(error, file, 'open');
  }
}

/**
 * What went wrong with the store in `file`, as a VulnDbError: damage as VULNDB_CORRUPT, the rest
 * (cannot open, cannot write, disk full) as VULNDB_LOCATION_INVALID. Our own errors pass as
 * they are.
 */
export function storeError(error: unknown, file: string, doing: string): unknown {
  if (error instanceof VulnDbError) return error;
  if ((error as { code?: unknown }).code !== 'ERR_SQLITE_ERROR') return error;
  // The primary result code is the low byte of an extended one (266 is SQLITE_IOERR_READ).
  const primary = Number((error as { errcode?: unknown }).errcode) & 0xff;
  if (primary === SQLITE_CORRUPT || primary === SQLITE_NOTADB)
    return new VulnDbError(
      'VULNDB_CORRUPT',
      `the vulnerability store ${file} is damaged (${messageOf(error)}): ${REDO}`,
      { cause: error },
    );
  return new VulnDbError(
    'VULNDB_LOCATION_INVALID',
    `cannot ${doing} the vulnerability store ${file}: ${messageOf(error)}`,
    { cause: error },
  );
}

function makeDirectory(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new VulnDbError(
      'VULNDB_LOCATION_INVALID',
      `cannot make the store directory ${dir}: ${messageOf(error)}`,
      { cause: error },
    );
  }
}

/** Refuses a file that is not a regular SQLite file, or is shorter than its header says. */
function checkHeader(file: string, info: Stats): void {
  const corrupt = (why: string): VulnDbError =>
    new VulnDbError('VULNDB_CORRUPT', `the vulnerability store ${file} ${why}: ${REDO}`);
  if (!info.isFile()) throw corrupt('is not a regular file');
  // SQLite takes an empty file for an empty database.
  if (info.size === 0) return;
  const header = readHeader(file);
  if (header.length < HEADER_BYTES || !header.subarray(0, 16).equals(SQLITE_MAGIC))
    throw corrupt('is not an SQLite database');
  // A journal beside the file may hold pages that are not in it yet.
  if (existsSync(`${file}-journal`) || existsSync(`${file}-wal`)) return;
  const expected = expectedSize(header);
  if (expected !== undefined && info.size < expected)
    throw corrupt(`is cut short: ${info.size} bytes of the ${expected} its header gives`);
}

/** Page size × page count, when the header's page count is valid (its change counters agree). */
function expectedSize(header: Buffer): number | undefined {
  const pageSizeField = header.readUInt16BE(16);
  const pageSize = pageSizeField === PAGE_SIZE_65536 ? 65536 : pageSizeField;
  const pages = header.readUInt32BE(28);
  const valid = header.readUInt32BE(92) === header.readUInt32BE(24);
  return valid && pages > 0 ? pageSize * pages : undefined;
}

function readHeader(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    const read = readSync(fd, header, 0, HEADER_BYTES, 0);
    return header.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new VulnDbError(
      'VULNDB_LOCATION_INVALID',
      `cannot read the store location ${path}: ${messageOf(error)}`,
      { cause: error },
    );
  }
}
