/**
 * The hostile corpus: every case, and the writer that puts them all in one directory with a
 * `cases.json` manifest. scripts/hostile-corpus.ts runs it from the command line;
 * test/integration/hostile-corpus.test.ts feeds each case to each command.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostileCase } from './case';
import { COMPRESSION_CASES } from './cases-compression';
import { CONTENT_CASES } from './cases-content';
import { DATA_CASES } from './cases-data';
import { DIGEST_CASES } from './cases-digest';
import { JSON_CASES } from './cases-json';
import { LAYOUT_CASES } from './cases-layout';
import { TAR_CASES } from './cases-tar';

export * from './case';

/** Every case, the baseline (the control) first. */
export const CASES: readonly HostileCase[] = [
  ...LAYOUT_CASES,
  ...JSON_CASES,
  ...DIGEST_CASES,
  ...COMPRESSION_CASES,
  ...TAR_CASES,
  ...CONTENT_CASES,
  ...DATA_CASES,
];

/** The case every `scan --policy` and `policy test` case judges. */
export const BASELINE_ID = 'baseline';

/** A case as `cases.json` lists it. */
export type CaseEntry = Omit<HostileCase, 'write'>;

/**
 * Writes every case (or those in `only`) under `root`, deterministically, and `cases.json`.
 * Calls `progress` after each case with its id and how long it took.
 */
export async function writeCorpus(
  root: string,
  options: { only?: readonly string[]; progress?: (id: string, ms: number) => void } = {},
): Promise<CaseEntry[]> {
  assertUniqueIds(CASES);
  const selected = options.only ? CASES.filter((c) => options.only!.includes(c.id)) : CASES;
  await mkdir(root, { recursive: true });
  for (const hostile of selected) {
    const dir = join(root, hostile.id);
    const started = Date.now();
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await hostile.write(dir);
    options.progress?.(hostile.id, Date.now() - started);
  }
  const entries = selected.map(entryOf);
  await writeFile(join(root, 'cases.json'), `${JSON.stringify(entries, null, 2)}\n`);
  return entries;
}

function entryOf(hostile: HostileCase): CaseEntry {
  const { write: _write, ...entry } = hostile;
  return entry;
}

function assertUniqueIds(cases: readonly HostileCase[]): void {
  const seen = new Set<string>();
  for (const { id } of cases) {
    if (seen.has(id)) throw new Error(`hostile corpus: case id ${id} is used twice`);
    seen.add(id);
  }
}
