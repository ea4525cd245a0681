import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { goAnalyzer } from '../../shared/analyzers/go';
import type { Package } from '../../shared/inventory/package';
import type { GoBinary } from '../../shared/match/go-applicability';
import { matchInventory, type MatchResult } from '../../shared/match/match';
import { importOsv } from '../../shared/vulndb/import';
import { LocalStore } from '../../shared/vulndb/local-store';
import { FIXTURES, analyzerFile } from './analyzer-fixtures';

/** Real Go vulnerability database records (test/fixtures/osv/go). */
export const GO_OSV = join(__dirname, '..', 'fixtures', 'osv', 'go');
export const GO_LAYER = `sha256:${'b'.repeat(64)}` as const;

/** A real binary of the go/functions fixture, analysed: its stdlib package and its facts. */
export async function goFixtureBinary(path: string): Promise<{ stdlib: Package; facts: GoBinary }> {
  const bytes = readFileSync(join(FIXTURES, 'go', 'functions', path));
  const result = await goAnalyzer.analyze(analyzerFile(path, bytes));
  const version = result.packages!.find((p) => p.name === 'stdlib')!.version;
  return {
    stdlib: {
      name: 'stdlib',
      version,
      type: 'golang',
      purl: `pkg:golang/stdlib@${version}`,
      source: null,
      licenses: [],
      layer: GO_LAYER,
      path,
      ownedBy: null,
      dependencies: [],
      supplier: null,
    },
    facts: { path, layer: GO_LAYER, ...result.goBinary! },
  };
}

/**
 * The go/functions binaries at `paths` matched against the real records, in a store made in
 * `dir`, in an image of `platform`.
 */
export async function matchGoFixtures(
  dir: string,
  paths: readonly string[],
  platform = 'linux/amd64',
): Promise<MatchResult & { goBinaries: GoBinary[]; packages: Package[] }> {
  const binaries = await Promise.all(paths.map(goFixtureBinary));
  const store = LocalStore.open(join(dir, 'db'), { create: true });
  try {
    await importOsv(store, [GO_OSV]);
    const packages = binaries.map((b) => b.stdlib);
    const goBinaries = binaries.map((b) => b.facts);
    const result = await matchInventory({ os: null, packages, problems: [] }, store, {
      goBinaries,
      platform,
    });
    return { ...result, goBinaries, packages };
  } finally {
    store.close();
  }
}
