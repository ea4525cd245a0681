import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type {
  Analyzer,
  AnalyzerFile,
  AnalyzerFileInfo,
  AnalyzerResult,
} from '../../shared/analyzers/analyzer';

import { golden } from './golden';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'analyzers');

/** The golden file at the root of each case directory; no analyser wants it. */
const EXPECTED = 'expected.json';

/** A plain regular file as `wants` sees it. */
export const REGULAR_FILE: AnalyzerFileInfo = { mode: 0o644, size: 0 };

type Found = { path: string; result: AnalyzerResult }[];

/** A file as the engine hands it over: `bytes` whole unless `truncated` says otherwise. */
export function analyzerFile(path: string, bytes: Buffer, truncated = false): AnalyzerFile {
  return {
    path,
    bytes,
    truncated,
    size: bytes.length,
    read: (position, length) => Promise.resolve(bytes.subarray(position, position + length)),
  };
}

/** Runs `analyzer` on every file of a fixture directory it wants, as the engine would. */
export async function analyzeFixture(analyzer: Analyzer, dir: string): Promise<Found> {
  const results = [];
  for (const file of filesUnder(dir)) {
    const path = relative(dir, file).split('\\').join('/');
    const { mode, size } = statSync(file);
    if (!analyzer.wants(path, { mode: mode & 0o7777, size })) continue;
    results.push({ path, result: await analyzer.analyze(analyzerFile(path, readFileSync(file))) });
  }
  return results;
}

/** The case directories under `test/fixtures/analyzers/<analyzer>/`, sorted. */
export function fixtureCases(analyzer: string): string[] {
  return readdirSync(join(FIXTURES, analyzer), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/**
 * What `analyzer` finds in one case directory, and what its `expected.json` says it should find
 * (rewritten first when `UPDATE_GOLDEN=1`).
 */
export async function goldenCase(
  analyzer: Analyzer,
  dir: string,
  name: string,
): Promise<{ actual: Found; expected: Found }> {
  const caseDir = join(FIXTURES, dir, name);
  const actual = await analyzeFixture(analyzer, caseDir);
  return { actual, expected: golden(join(caseDir, EXPECTED), actual) };
}

/** Regular files only: the engine hands analysers no symlinks (Debian's maven-repo is made of them). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      const stat = lstatSync(path);
      if (stat.isDirectory()) return filesUnder(path);
      return stat.isFile() ? [path] : [];
    });
}
