// Bundles the CLI and the benchmarks with esbuild: one file each, Node 22, source maps for stack traces.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node22', format: 'cjs', sourcemap: true, logLevel: 'warning' };

await build({
  ...common,
  entryPoints: { clearance: 'bin/clearance.ts' },
  outdir: 'dist',
  banner: { js: '#!/usr/bin/env node' },
});
await build({ ...common, entryPoints: { 'layer-throughput': 'bench/layer-throughput.ts' }, outdir: 'dist/bench' });
