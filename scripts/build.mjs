// Bundles the CLI with esbuild into one file that `npx clearance` runs (Node 22, source maps).
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

const outfile = 'dist/clearance.js';
await build({
  entryPoints: ['bin/clearance.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  banner: { js: '#!/usr/bin/env node' },
});
chmodSync(outfile, 0o755);
