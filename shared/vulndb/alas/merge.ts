import type { OsvAffected, OsvRecord } from '../../osv';
import { rpmScheme } from '../../versions';
import { fixedOf } from './record';

/**
 * The records of one ALAS id seen in several files (each arch's repository has its own
 * `updateinfo.xml`, and a store keeps one copy per id), merged into one: the union of their
 * CVEs and affected packages, the newest `modified`, the oldest `published`, the newest copy's
 * title and text. A package listed in several files with different builds keeps the highest
 * (as within one file, see `fixedOf`). Held until every file is read: the merged records of all
 * the files, a few thousand small objects, never a file.
 */
export class AlasMerger {
  private readonly byId = new Map<string, OsvRecord>();

  add(record: OsvRecord): void {
    const kept = this.byId.get(record.id);
    this.byId.set(record.id, kept === undefined ? record : merged(kept, record));
  }

  get size(): number {
    return this.byId.size;
  }

  /** The merged records in id order, and forgets them. */
  take(): OsvRecord[] {
    const records = [...this.byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    this.byId.clear();
    return records;
  }
}

function merged(a: OsvRecord, b: OsvRecord): OsvRecord {
  const newer = Date.parse(b.modified) > Date.parse(a.modified) ? b : a;
  const published = [a.published, b.published]
    .filter((p): p is string => p !== undefined)
    .sort()[0];
  return {
    ...newer,
    ...(published !== undefined && { published }),
    aliases: [...new Set([...a.aliases, ...b.aliases])],
    affected: mergedEntries([...a.affected, ...b.affected]),
  };
}

/** One entry per ecosystem, name and range start; the highest fixed version of those merged. */
function mergedEntries(entries: readonly OsvAffected[]): OsvAffected[] {
  const byKey = new Map<string, OsvAffected>();
  for (const entry of entries) {
    const key = `${entry.ecosystem}\0${entry.name}\0${introduced(entry)}`;
    const kept = byKey.get(key);
    byKey.set(key, kept === undefined ? entry : mergedEntry(kept, entry));
  }
  return [...byKey.values()];
}

function mergedEntry(a: OsvAffected, b: OsvAffected): OsvAffected {
  const fixedA = fixed(a);
  const fixedB = fixed(b);
  if (fixedA === fixedB || fixedA === undefined || fixedB === undefined) return a;
  const kept = fixedOf([fixedA, fixedB]) === fixedA ? a : b;
  const builds = [...new Set([...buildsOf(a, fixedA), ...buildsOf(b, fixedB)])].sort((x, y) =>
    rpmScheme.compare(x, y),
  );
  return { ...kept, databaseSpecific: { ...kept.databaseSpecific, fixed_builds: builds } };
}

/** The builds an entry was made from: its `fixed_builds`, else its one fixed version. */
function buildsOf(entry: OsvAffected, fixedVersion: string): string[] {
  const builds = entry.databaseSpecific?.fixed_builds;
  return Array.isArray(builds)
    ? builds.filter((b): b is string => typeof b === 'string')
    : [fixedVersion];
}

function introduced(entry: OsvAffected): string {
  return entry.ranges[0]?.events.find((e) => e.kind === 'introduced')?.version ?? '0';
}

function fixed(entry: OsvAffected): string | undefined {
  return entry.ranges[0]?.events.find((e) => e.kind === 'fixed')?.version;
}
