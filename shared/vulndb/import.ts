import { parseJson } from '../core';
import { parseOsvRecord, type OsvRecord } from '../osv';
import { AlasMerger } from './alas';
import type { LocalStore, UpsertOutcome } from './local-store';
import { readSource, type ImportSource, type Read, type Take, type TakeAlas } from './record-files';

export type { ImportSource } from './record-files';

/** Malformed records listed one by one in the report; the rest are counted. */
const LISTED_PROBLEMS = 100;

/** What an import did. Malformed records are skipped and counted; they never abort it. */
export interface ImportReport {
  readonly read: number;
  readonly inserted: number;
  readonly updated: number;
  /** Records whose `modified` is not newer than the stored copy. */
  readonly unchanged: number;
  readonly malformed: number;
  /** GIT ranges skipped (commit ranges cannot match an image's packages). */
  readonly gitRanges: number;
  /** The first malformed records: where, and why. */
  readonly problems: readonly { readonly source: string; readonly reason: string }[];
}

type Counts = { -readonly [K in keyof Omit<ImportReport, 'problems'>]: number } & {
  problems: { source: string; reason: string }[];
};

/**
 * Imports OSV records into the store, in one transaction: from ecosystem exports (`all.zip`,
 * read entry by entry, never unpacked), directories of `.json` files (recursively) or single
 * files, and Amazon Linux `updateinfo.xml` / `.xml.gz` files (told by content, streamed, each
 * update an OSV record; see shared/vulndb/alas). A path that cannot be read at all fails the
 * import with nothing written.
 */
export async function importOsv(
  store: LocalStore,
  paths: readonly ImportSource[],
  options: ImportOptions = {},
): Promise<ImportReport> {
  const counts: Counts = {
    read: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    malformed: 0,
    gitRanges: 0,
    problems: [],
  };
  const { onProgress } = options;
  await store.transaction(
    (add) =>
      readOsv(paths, (read) => {
        record(counts, add, read);
        onProgress?.({
          read: counts.read,
          ...('record' in read && { ecosystem: read.record.affected[0]?.ecosystem }),
        });
      }),
    options.now,
  );
  return counts;
}

export interface ImportOptions {
  readonly now?: Date;
  /** Told of each record read, for a progress display. @default - none */
  readonly onProgress?: (progress: ImportProgress) => void;
}

/** How far an import has got: records read so far, and the ecosystem of the last one. */
export interface ImportProgress {
  readonly read: number;
  /** Absent for a malformed record, or one that names no package. */
  readonly ecosystem?: string | undefined;
}

/** One record as {@link readOsv} hands it on: parsed, or why it is malformed. */
export type OsvRead =
  | {
      readonly source: string;
      readonly record: OsvRecord;
      /** GIT ranges the parser skipped. */
      readonly gitRanges: number;
    }
  | { readonly source: string; readonly reason: string };

/**
 * Reads the OSV records of exports (`all.zip`), directories and files, as {@link importOsv}
 * does, handing each to `take` in order and waiting for it (so a slow store holds the reading
 * back). A path that cannot be read at all fails the read. Amazon Linux advisories come last:
 * the copies of one ALAS id in several files (each arch's repository) are merged first, so
 * that the store, which keeps one copy per id and `modified`, gets all their packages.
 */
export async function readOsv(
  paths: readonly ImportSource[],
  take: (read: OsvRead) => void | Promise<void>,
): Promise<void> {
  const parse: Take = (source, read) => take(parsed(source, read));
  const merger = new AlasMerger();
  const alas: TakeAlas = async (read) => {
    if ('record' in read) merger.add(read.record);
    else await take(read);
  };
  for (const path of paths) await readSource(path, parse, alas);
  for (const record of merger.take()) await take({ source: record.id, record, gitRanges: 0 });
}

function parsed(source: string, read: Read): OsvRead {
  const json = Buffer.isBuffer(read) ? parseJson(read) : read;
  const result = 'reason' in json ? json : parseOsvRecord(json.value);
  return 'reason' in result
    ? { source, reason: result.reason }
    : { source, record: result.record, gitRanges: result.gitRanges };
}

function record(counts: Counts, add: (record: OsvRecord) => UpsertOutcome, read: OsvRead): void {
  counts.read++;
  if ('reason' in read) {
    counts.malformed++;
    if (counts.problems.length < LISTED_PROBLEMS)
      counts.problems.push({ source: read.source, reason: read.reason });
    return;
  }
  counts.gitRanges += read.gitRanges;
  counts[add(read.record)]++;
}
