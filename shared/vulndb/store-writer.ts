import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { OsvRecord } from '../osv';
import { indexRecord } from './advisory';

/** What writing one record did: a newer `modified` replaces, an equal or older one is ignored. */
export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged';

/** Prepared statements for one import. */
export class Writer {
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
