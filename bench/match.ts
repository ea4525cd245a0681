/**
 * Vulnerability data at scale: generates an OSV export of 300,000 realistic advisories across
 * the supported ecosystems (a zip, as OSV publishes them; written with python3's zipfile) and
 * imports it into a fresh local store. Then, three times, a new process opens the store and
 * matches an inventory of 2,000 packages against it, as a scan would, and matches it once more
 * (the same work with its code compiled). Prints import time, store size, open and match
 * times, and the peak RSS of the import and of each match.
 *
 *   npm run bench:match                 300,000 advisories, 2,000 packages
 *   npm run bench:match -- 50000 500    other sizes
 *
 * Targets (issue 4): match ≤ 200 ms after open, open ≤ 1 s, import ≤ 60 s, peak RSS ≤ 300 MB.
 */
import { createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { execFileSync, spawnSync } from 'node:child_process';
import type { Inventory, Package } from '../shared/inventory/package';
import { matchInventory } from '../shared/match/match';
import { importOsv } from '../shared/vulndb/import';
import { LocalStore } from '../shared/vulndb/local-store';

const BENCH_DIR = join('.bench', 'match');
const [ADVISORIES, PACKAGES] = [
  Number(process.argv[2] ?? 300_000),
  Number(process.argv[3] ?? 2_000),
];

/** Share of advisories per ecosystem, and the package name pool each draws from. */
const ECOSYSTEMS: readonly { name: string; share: number; pool: number; version: () => string }[] =
  [
    { name: 'Debian:12', share: 0.25, pool: 8_000, version: () => `${v()}-${n(9)}+deb12u${n(5)}` },
    {
      name: 'Ubuntu:22.04:LTS',
      share: 0.15,
      pool: 8_000,
      version: () => `${v()}-${n(9)}ubuntu${n(5)}`,
    },
    { name: 'Alpine:v3.20', share: 0.05, pool: 3_000, version: () => `${v()}-r${n(9)}` },
    {
      name: 'Rocky Linux:9',
      share: 0.05,
      pool: 3_000,
      version: () => `${v()}-${n(40)}.el9_${n(4)}`,
    },
    { name: 'npm', share: 0.15, pool: 40_000, version: v },
    { name: 'PyPI', share: 0.12, pool: 30_000, version: v },
    { name: 'Maven', share: 0.1, pool: 20_000, version: v },
    { name: 'Go', share: 0.08, pool: 15_000, version: v },
    { name: 'crates.io', share: 0.05, pool: 8_000, version: v },
  ];

/** mulberry32: a small seeded generator with 32-bit state, so that every run sees the same data. */
let seed = 42;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
}
const n = (max: number) => Math.floor(random() * max) + 1;
function v(): string {
  return `${n(5) - 1}.${n(20) - 1}.${n(30) - 1}`;
}
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
const nameOf = (ecosystem: string, i: number) =>
  ecosystem === 'Maven'
    ? `org.example${i % 97}:artifact-${i}`
    : ecosystem === 'Go'
      ? `github.com/example${i % 97}/module-${i}`
      : `package-${i}`;

function record(i: number): object {
  const eco = ecosystemFor(random());
  const name = nameOf(eco.name, n(eco.pool));
  const ranges = Array.from({ length: n(2) }, () => ({
    type: eco.name === 'Go' || eco.name === 'crates.io' ? 'SEMVER' : 'ECOSYSTEM',
    events:
      random() < 0.2 ? [{ introduced: '0' }] : [{ introduced: '0' }, { fixed: eco.version() }],
  }));
  return {
    schema_version: '1.6.0',
    id: `BENCH-${i}`,
    modified: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
    aliases: [`CVE-2024-${100_000 + (i % 400_000)}`],
    summary: `A ${pick(['buffer overflow', 'path traversal', 'ReDoS', 'XSS', 'use after free'])} in ${name}`,
    details: 'x'.repeat(200 + n(800)),
    severity: random() < 0.6 ? [{ type: 'CVSS_V3', score: cvssVector() }] : [],
    affected: [{ package: { ecosystem: eco.name, name }, ranges }],
  };
}

/** A CVSS 3.1 base vector drawn from all 2,592 combinations of its metrics, as real data spreads. */
function cvssVector(): string {
  const metrics = [
    ['AV', 'NALP'],
    ['AC', 'LH'],
    ['PR', 'NLH'],
    ['UI', 'NR'],
    ['S', 'UC'],
    ['C', 'HLN'],
    ['I', 'HLN'],
    ['A', 'HLN'],
  ] as const;
  return `CVSS:3.1/${metrics.map(([metric, values]) => `${metric}:${pick([...values])}`).join('/')}`;
}

function ecosystemFor(x: number) {
  let sum = 0;
  for (const eco of ECOSYSTEMS) if (x < (sum += eco.share)) return eco;
  return ECOSYSTEMS.at(-1)!;
}

/**
 * Writes the export as OSV publishes it: a deflated zip of one `.json` per record (ZIP64, as
 * large ecosystems need). The records stream through a JSON-lines file into Python's zipfile,
 * which writes a zip of any size in constant memory.
 */
async function writeExport(path: string): Promise<void> {
  const lines = `${path}.jsonl`;
  const out = createWriteStream(lines);
  for (let i = 0; i < ADVISORIES; i++) {
    if (!out.write(`${JSON.stringify(record(i))}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  execFileSync('python3', ['-c', ZIP_WRITER, lines, path], { stdio: 'inherit' });
  rmSync(lines);
}

const ZIP_WRITER = `
import json, sys, zipfile
with open(sys.argv[1]) as lines, zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED) as z:
    for line in lines:
        z.writestr(json.loads(line)['id'] + '.json', line)
`;

function inventory(): Inventory {
  seed = 7; // the same inventory whether or not this run generated the export
  const types: Record<string, Package['type']> = {
    npm: 'npm',
    PyPI: 'pypi',
    Maven: 'maven',
    Go: 'golang',
    'crates.io': 'cargo',
  };
  const packages: Package[] = Array.from({ length: PACKAGES }, (_, i) => {
    const eco = pick(
      ECOSYSTEMS.filter((e) => types[e.name] !== undefined || e.name === 'Debian:12'),
    );
    const type = types[eco.name] ?? 'deb';
    const name = nameOf(eco.name, n(eco.pool));
    const version = eco.version();
    return {
      name,
      version,
      type,
      purl: `pkg:${type}/${name}@${version}`,
      source: null,
      licenses: [],
      layer: `sha256:${'0'.repeat(64)}`,
      path: `p/${i}`,
      ownedBy: null,
      dependencies: [],
      supplier: null,
    };
  });
  return {
    os: {
      id: 'debian',
      versionId: '12',
      versionCodename: null,
      prettyName: null,
      eol: false,
      eolDate: null,
    },
    packages,
    problems: [],
  };
}

function sizeOf(dir: string): number {
  return readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

/** Set in the child processes that open the store and match, as a scan would. */
const MATCH_ONLY = 'CLEARANCE_BENCH_MATCH_DB';
const MATCH_RUNS = 3;
/** As the CLI does, without node:sqlite's experimental warning. */
const NODE_FLAGS = ['--enable-source-maps', '--disable-warning=ExperimentalWarning'];
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

async function main(): Promise<void> {
  const matchDb = process.env[MATCH_ONLY];
  if (matchDb !== undefined) return openAndMatch(matchDb);
  mkdirSync(BENCH_DIR, { recursive: true });
  const zip = join(BENCH_DIR, `osv-${ADVISORIES}.zip`);
  if (!existsSync(zip)) {
    console.error(`generating ${ADVISORIES} advisories into ${zip} …`);
    await writeExport(zip);
  }
  const dbDir = join(BENCH_DIR, 'db');
  rmSync(dbDir, { recursive: true, force: true });
  const t = performance.now();
  const store = LocalStore.open(dbDir, { create: true });
  const report = await importOsv(store, [zip]);
  store.close();
  const importMs = performance.now() - t;

  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
  console.log(`\n${ADVISORIES} advisories (${mb(statSync(zip).size)} zip), ${PACKAGES} packages`);
  console.log(
    `  import  ${(importMs / 1000).toFixed(1)} s  (${report.inserted} records, ${report.malformed} malformed), peak RSS ${mib(process.resourceUsage().maxRSS * 1024)}`,
  );
  console.log(`  store   ${mb(sizeOf(dbDir))} on disk`);
  // Each match runs in a new process, as a scan does: code not yet compiled, the store opened
  // from disk (the operating system's file cache warm from the import).
  for (let run = 0; run < MATCH_RUNS; run++) {
    const child = spawnSync(process.execPath, [...NODE_FLAGS, ...process.argv.slice(1)], {
      env: { ...process.env, [MATCH_ONLY]: dbDir },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (child.status !== 0) throw new Error(`the match run exited with ${child.status}`);
  }
}

async function openAndMatch(dbDir: string): Promise<void> {
  let t = performance.now();
  const store = LocalStore.open(dbDir);
  await store.dataVersion();
  const openMs = performance.now() - t;
  const packages = inventory();
  t = performance.now();
  const result = await matchInventory(packages, store);
  const matchMs = performance.now() - t;
  t = performance.now();
  await matchInventory(packages, store);
  const againMs = performance.now() - t;
  store.close();
  console.log(
    `  open ${openMs.toFixed(0)} ms, match ${matchMs.toFixed(0)} ms (${result.findings.length} findings, ${result.problems.length} problems; again: ${againMs.toFixed(0)} ms), peak RSS ${mib(process.resourceUsage().maxRSS * 1024)}`,
  );
}

void main();
