// Bundles the CLI with esbuild into one file that `npx clearance` runs (Node 22, source maps).
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
import { loadedAtRunTime, nodeBundle } from './esbuild-options.mjs';

const outfile = 'dist/clearance.js';
await build({
  entryPoints: ['bin/clearance.ts'],
  outfile,
  ...nodeBundle,
  external: [...nodeBundle.external, ...loadedAtRunTime],
  banner: { js: '#!/usr/bin/env node' },
});
chmodSync(outfile, 0o755);
