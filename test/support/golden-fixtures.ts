import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Analyzer, AnalyzerResult } from '../../shared/analyzers/analyzer';
import { analyzeFixture, FIXTURES } from './analyzer-fixtures';

/** Set `UPDATE_GOLDEN=1` to rewrite every `expected.json` from what the analysers find. */
const UPDATE = process.env.UPDATE_GOLDEN === '1';
/** The golden file at the root of each case directory; no analyser wants it. */
const EXPECTED = 'expected.json';

type Found = { path: string; result: AnalyzerResult }[];

/** The case directories under `test/fixtures/analyzers/<analyzer>/`, sorted. */
export function fixtureCases(analyzer: string): string[] {
  return readdirSync(join(FIXTURES, analyzer), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/**
 * What `analyzer` finds in one case directory, and what its `expected.json` says it should find
 * (rewritten first when UPDATE_GOLDEN=1).
 */
export async function goldenCase(
  analyzer: Analyzer,
  dir: string,
  name: string,
): Promise<{ actual: Found; expected: Found }> {
  const caseDir = join(FIXTURES, dir, name);
  const actual = await analyzeFixture(analyzer, caseDir);
  const golden = join(caseDir, EXPECTED);
  if (UPDATE) writeFileSync(golden, formatted(golden, JSON.stringify(actual)));
  return { actual, expected: JSON.parse(readFileSync(golden, 'utf8')) as Found };
}

/**
 * `json` as `npm run format` would write it at `path`, so the format check passes on regenerated
 * files. The CLI, because Prettier's API needs ES modules, which Jest runs only behind a flag.
 */
function formatted(path: string, json: string): string {
  const prettier = require.resolve('prettier/bin/prettier.cjs');
  return execFileSync(process.execPath, [prettier, '--stdin-filepath', path], {
    input: json,
    encoding: 'utf8',
  });
}
