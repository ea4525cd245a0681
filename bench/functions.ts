/**
 * The Lambda functions' bundles and cold starts: each `functions/<name>/index.ts` bundled as
 * the CDK app bundles it (esbuild, minified, Node 22, CommonJS), its size, and the time a fresh
 * Node 22 process takes to load it (the init phase of a cold start: module code, Powertools, SDK
 * clients; no network). Bundles go to .bench/functions.
 *
 *   npm run bench:functions
 *
 * Target (issue 6): ≤ 3 MB minified per function.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { FUNCTION_NAMES, type FunctionName } from '../shared/handlers/environment';
import { benchEnvironment } from './function-env';

const OUT_DIR = join('.bench', 'functions');
const RUNS = 5;
const MB = 1e6;

/** esbuild as NodejsFunction runs it for the CDK app's functions (lib/). */
const FUNCTION_BUNDLING: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
  logLevel: 'warning',
  external: ['xmlbuilder2', 'libxmljs2'],
  alias: { punycode: 'punycode/' },
};

/** In the child: load the bundle and print how long it took. */
const LOAD_ONLY = 'CLEARANCE_BENCH_LOAD';

async function main(): Promise<void> {
  const only = process.env[LOAD_ONLY];
  if (only !== undefined) {
    const started = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(resolve(only));
    process.stdout.write(`${performance.now() - started}\n`);
    return;
  }
  mkdirSync(OUT_DIR, { recursive: true });
  const names = [...FUNCTION_NAMES].sort();
  console.log('function                   bundle (MB)  init median (ms)  init range (ms)');
  for (const name of names) {
    const outfile = join(OUT_DIR, `${name}.js`);
    await build({
      ...FUNCTION_BUNDLING,
      entryPoints: [join('functions', name, 'index.ts')],
      outfile,
    });
    const times = Array.from({ length: RUNS }, () => loadTime(name, outfile)).sort((a, b) => a - b);
    console.log(
      `${name.padEnd(26)} ${(statSync(outfile).size / MB).toFixed(2).padStart(11)}  ` +
        `${times[Math.floor(RUNS / 2)]!.toFixed(0).padStart(16)}  ` +
        `${times[0]!.toFixed(0)}–${times[RUNS - 1]!.toFixed(0)}`,
    );
  }
}

/** How long a fresh process takes to load `bundle`, with the variables of function `name`. */
function loadTime(name: FunctionName, bundle: string): number {
  const child = spawnSync(process.execPath, [__filename], {
    env: { ...benchEnvironment(name), PATH: process.env.PATH, [LOAD_ONLY]: bundle },
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`loading ${bundle} failed:\n${child.stderr}`);
  return Number(child.stdout.trim());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
