// Runs a TypeScript entry point (a benchmark, a script): bundles it with esbuild, then runs it.
//   node scripts/run-ts.mjs FILE.ts [ARGS …]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadedAtRunTime, nodeBundle } from './esbuild-options.mjs';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.mjs FILE.ts [ARGS …]');
  process.exit(2);
}
const outDir = join('dist', 'run');
mkdirSync(outDir, { recursive: true });
const outfile = join(outDir, `${basename(entry, '.ts')}.js`);
await build({
  ...nodeBundle,
  external: [...nodeBundle.external, ...loadedAtRunTime],
  entryPoints: [entry],
  outfile,
});
const child = spawnSync(process.execPath, ['--enable-source-maps', outfile, ...args], {
  stdio: 'inherit',
});
process.exit(child.status ?? 1);
