// Bundles the CLI with esbuild for Node 22: an ES module entry (dist/clearance.mjs) and the
// chunks it imports on demand (dist/chunks/), so that each command loads only its own code:
// `clearance --help` reads a few kilobytes, `scan` the engine but neither the CDK app nor the
// local pipeline. Source maps beside them; `--debug` turns them on.
import { build } from 'esbuild';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { loadedAtRunTime, nodeBundle } from './esbuild-options.mjs';

// What an ES module lacks and the bundled CommonJS packages use: `require` (for Node's built-ins
// and the packages left in node_modules), `__filename` and `__dirname` (of the chunk itself).
const commonJsGlobals = [
  "import { createRequire as __createRequire } from 'node:module';",
  "import { dirname as __pathDirname } from 'node:path';",
  "import { fileURLToPath as __fileURLToPath } from 'node:url';",
  'const require = __createRequire(import.meta.url);',
  'const __filename = __fileURLToPath(import.meta.url);',
  'const __dirname = __pathDirname(__filename);',
].join(' ');

/**
 * The packages left in node_modules are CommonJS: an ES module's `import` of them would need
 * Node to guess their named exports (and file extensions on deep paths), so they are `require`d.
 */
const requireExternals = {
  name: 'require-externals',
  setup(build) {
    const names = loadedAtRunTime.map((name) => name.replace(/[/.-]/g, '\\$&')).join('|');
    build.onResolve({ filter: new RegExp(`^(${names})(/|$)`) }, (args) =>
      args.namespace === 'require-external'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'require-external' },
    );
    build.onLoad({ filter: /.*/, namespace: 'require-external' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
    }));
  },
};

rmSync('dist/chunks', { recursive: true, force: true });
// CLEARANCE_BUILD_META=FILE writes esbuild's metafile: which inputs each chunk holds, for finding
// what a command's chunks pull in (docs/benchmarks.md, "Start-up of the installed CLI").
const result = await build({
  metafile: process.env.CLEARANCE_BUILD_META !== undefined,
  entryPoints: { clearance: 'bin/clearance.ts' },
  outdir: 'dist',
  ...nodeBundle,
  format: 'esm',
  splitting: true,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  external: nodeBundle.external,
  plugins: [requireExternals],
  banner: { js: `#!/usr/bin/env node\n${commonJsGlobals}` },
});
// The CommonJS bundle of 0.1.0, left behind in a clone that built it.
rmSync('dist/clearance.js', { force: true });
rmSync('dist/clearance.js.map', { force: true });
chmodSync('dist/clearance.mjs', 0o755);
if (result.metafile)
  writeFileSync(process.env.CLEARANCE_BUILD_META, JSON.stringify(result.metafile));
