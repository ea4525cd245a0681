// Bundles the CLI with esbuild into one file that `npx clearance` runs (Node 22, source maps).
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
import { nodeBundle } from './esbuild-options.mjs';

const outfile = 'dist/clearance.js';
await build({
  entryPoints: ['bin/clearance.ts'],
  outfile,
  ...nodeBundle,
  // `pipeline run` synthesizes the CDK app and starts dynalite (a native LevelDB binding):
  // both are loaded from node_modules when that command runs, not bundled.
  external: [...nodeBundle.external, 'aws-cdk-lib', 'constructs', 'cdk-nag', 'dynalite'],
  banner: { js: '#!/usr/bin/env node' },
});
chmodSync(outfile, 0o755);
