import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Analyzer, AnalyzerResult } from '../../shared/analyzers/analyzer';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'analyzers');

/** Runs `analyzer` on every file of a fixture directory it wants, as the engine would. */
export async function analyzeFixture(
  analyzer: Analyzer,
  dir: string,
): Promise<{ path: string; result: AnalyzerResult }[]> {
  const results = [];
  for (const file of filesUnder(dir)) {
    const path = relative(dir, file).split('\\').join('/');
    if (!analyzer.wants(path)) continue;
    results.push({
      path,
      result: await analyzer.analyze({ path, bytes: readFileSync(file), truncated: false }),
    });
  }
  return results;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}
