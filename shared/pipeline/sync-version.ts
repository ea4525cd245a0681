import { createHash } from 'node:crypto';
import { ecosystemKeyString, parseEcosystem } from '../osv';
import type { OsvRecord } from '../osv';
import type { DataVersion } from '../vulndb';

interface Kept {
  readonly modified: string;
  readonly ms: number;
  /** The ecosystem keys the record names packages in; none when withdrawn. */
  readonly ecosystems: readonly string[];
}

/**
 * The data version of the records a sync writes, computed as the local store computes its own
 * (local-store.ts, `finishImport`), so that equal data has an equal version in either store:
 * per id the copy with the newest `modified` (the first of equals, as an upsert keeps it), the
 * sha256 over `id NUL modified LF` in id order, the newest `modified`, the record count and the
 * advisories per ecosystem key. The cloud store cannot hash itself without reading every item,
 * so the sync job hashes what it imports: the store then holds exactly the configured exports
 * (records of an ecosystem no longer configured stay in the table but out of the version).
 */
export class DataVersionTally {
  private readonly kept = new Map<string, Kept>();

  add(record: OsvRecord): void {
    const ms = Date.parse(record.modified);
    const kept = this.kept.get(record.id);
    if (kept !== undefined && kept.ms >= ms) return;
    const ecosystems =
      record.withdrawn === undefined
        ? [...new Set(record.affected.map((a) => ecosystemKeyString(parseEcosystem(a.ecosystem))))]
        : [];
    this.kept.set(record.id, { modified: record.modified, ms, ecosystems });
  }

  version(updatedAt: Date): DataVersion {
    const hash = createHash('sha256');
    let newest: string | null = null;
    const ecosystems = new Map<string, number>();
    // Ids are ASCII: UTF-16 order is SQLite's byte order.
    for (const id of [...this.kept.keys()].sort()) {
      const { modified, ecosystems: keys } = this.kept.get(id)!;
      hash.update(`${id}\0${modified}\n`);
      if (newest === null || Date.parse(modified) > Date.parse(newest)) newest = modified;
      for (const key of keys) ecosystems.set(key, (ecosystems.get(key) ?? 0) + 1);
    }
    return {
      contentHash: `sha256:${hash.digest('hex')}`,
      newestModified: newest,
      updatedAt: updatedAt.toISOString(),
      records: this.kept.size,
      ecosystems: Object.fromEntries(
        [...ecosystems.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
      ),
    };
  }
}
