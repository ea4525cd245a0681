import { createHash } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import type { OsvRecord } from '../osv';
import { PriorityError, priorityContentHash, type EpssScore, type EpssVersion } from '../priority';
import type { KevCatalog, PriorityLookup } from '../priority';
import { priorityVersions, readPriority, writeEpss, writeKev } from './priority-tables';
import type { SeverityAssessment } from '../osv';
import type { AliasSeverity, PackageAdvisory } from './advisory';
import { normalizePackageName } from './names';
import { openStoreFile, storeError } from './store-file';
import { prepareSchema, STORE_FILE } from './store-schema';
import { Writer, type UpsertOutcome } from './store-writer';
import { queryKey, type DataVersion, type PackageQuery, type VulnerabilityStore } from './store';

/**
 * SQLite's page cache while importing, in KiB: the default 2 MiB makes an import of a few
 * hundred thousand records spill pages to the file mid-transaction, over and over.
 */
const IMPORT_CACHE_KIB = 32 * 1024;
/** A transaction that writes at least 1/8 of the store's records rewrites the file after it. */
const VACUUM_AFTER_SHARE = 8;

export type { UpsertOutcome } from './store-writer';

/**
 * The CLI's vulnerability store: one SQLite file (`osv.sqlite`) in a directory. Each record is
 * indexed at import by (ecosystem key, normalised package name) and by alias, so that a scan
 * reads only the small rows of the packages it has.
 */
export class LocalStore implements VulnerabilityStore {
  private constructor(
    private readonly db: DatabaseSync,
    private readonly file: string,
  ) {}

  /**
   * Opens the store in `dir`; `create` makes it (and the directory) when missing. Whatever is
   * there instead (a file for the directory, a file that is not SQLite, is cut short or lacks
   * the store's tables) fails with a VulnDbError saying so.
   */
  static open(dir: string, options: { create?: boolean } = {}): LocalStore {
    const create = options.create === true;
    const file = join(dir, STORE_FILE);
    const db = openStoreFile(dir, file, {
      create,
      missing: `no vulnerability data in ${dir}: run "clearance db update" or "clearance db import" first`,
    });
    const store = new LocalStore(db, file);
    try {
      prepareSchema(db, file, create);
    } catch (error) {
      db.close();
      throw storeError(error, file, 'read');
    }
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
    try {
      return await this.writeAll(work, now);
    } catch (error) {
      throw storeError(error, this.file, 'write');
    }
  }

  advisoriesFor(queries: readonly PackageQuery[]): Promise<Map<string, PackageAdvisory[]>> {
    return this.reading(() => {
      const select = this.db.prepare(
        'SELECT advisory FROM packages WHERE ecosystem = ? AND name = ? ORDER BY id',
      );
      const byKey = new Map(queries.map((query) => [queryKey(query), query]));
      return this.lookUp([...byKey.keys()], (key) => {
        const { ecosystem, name } = byKey.get(key)!;
        const rows = select.all(
          ecosystem,
          normalizePackageName(ecosystem.split(':')[0]!, name),
        ) as { advisory: string }[];
        return rows.map((row) => JSON.parse(row.advisory) as PackageAdvisory);
      });
    });
  }

  severitiesByAlias(aliases: readonly string[]): Promise<Map<string, AliasSeverity[]>> {
    return this.reading(() => {
      const select = this.db.prepare(
        'SELECT id, severity FROM severities WHERE alias = ? ORDER BY id',
      );
      return this.lookUp(aliases, (alias) =>
        (select.all(alias) as { id: string; severity: string }[]).map((row) => ({
          id: row.id,
          severity: JSON.parse(row.severity) as SeverityAssessment,
        })),
      );
    });
  }

  dataVersion(): Promise<DataVersion> {
    return this.reading(() => {
      const meta = this.meta();
      const { kev, epss } = priorityVersions(meta);
      return {
        contentHash: priorityContentHash(meta.get('contentHash') ?? emptyHash(), kev, epss),
        newestModified: meta.get('newestModified') ?? null,
        updatedAt: meta.get('updatedAt') ?? null,
        records: Number(meta.get('records') ?? 0),
        ecosystems: JSON.parse(meta.get('ecosystems') ?? '{}') as Record<string, number>,
        ...(kev !== undefined && { kev }),
        ...(epss !== undefined && { epss }),
      };
    });
  }

  /** See {@link VulnerabilityStore.priorityFor}: one read transaction. */
  priorityFor(cves: readonly string[]): Promise<PriorityLookup> {
    return this.reading(() => {
      this.db.exec('BEGIN');
      try {
        return readPriority(this.db, this.meta(), [...new Set(cves)].sort());
      } finally {
        this.db.exec('COMMIT');
      }
    });
  }

  /** Replaces the store's KEV catalog with `catalog`, in one transaction. */
  replaceKev(catalog: KevCatalog, now: Date = new Date()): Promise<void> {
    return this.writing(() => {
      writeKev(this.db, catalog.version, catalog.entries);
      return Promise.resolve();
    }, now);
  }

  /**
   * Replaces the store's EPSS scores with what `read` hands `put`, in one transaction: a read
   * that fails writes nothing.
   */
  replaceEpss(
    read: (put: (cve: string, score: EpssScore) => void) => Promise<EpssVersion>,
    now: Date = new Date(),
  ): Promise<EpssVersion> {
    return this.writing(() => writeEpss(this.db, read), now);
  }

  private meta(): Map<string, string> {
    const rows = this.db.prepare('SELECT key, value FROM meta').all() as {
      key: string;
      value: string;
    }[];
    return new Map(rows.map((row) => [row.key, row.value]));
  }

  /** `work` in one write transaction that also records `now` as the update time. */
  private async writing<T>(work: () => Promise<T>, now: Date): Promise<T> {
    try {
      this.db.exec('BEGIN');
      try {
        const result = await work();
        this.db
          .prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('updatedAt', ?)")
          .run(now.toISOString());
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        try {
          this.db.exec('ROLLBACK');
        } catch {
          // A damaged file may refuse the rollback too; the error that stopped the work says more.
        }
        throw error;
      }
    } catch (error) {
      if (error instanceof PriorityError) throw error;
      throw storeError(error, this.file, 'write');
    }
  }

  /** `read`'s result; a store damaged past its header fails here, mid-scan, as a VulnDbError. */
  private async reading<T>(read: () => T): Promise<T> {
    try {
      return await Promise.resolve(read());
    } catch (error) {
      throw storeError(error, this.file, 'read');
    }
  }

  /** See {@link transaction}. */
  private async writeAll<T>(
    work: (add: (record: OsvRecord) => UpsertOutcome) => Promise<T>,
    now: Date,
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
      // A damaged file may refuse the rollback too; the error that stopped the work says more.
      try {
        this.db.exec('ROLLBACK');
      } catch {
        // ignored, see above
      }
      throw error;
    }
    if (writer.written * VACUUM_AFTER_SHARE >= records && writer.written > 0)
      this.db.exec('VACUUM');
    return result;
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

function emptyHash(): string {
  return `sha256:${createHash('sha256').digest('hex')}`;
}
