/** How every entry point is bundled: one CommonJS file for Node 22, with source maps. */
export const nodeBundle = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  // Optional XML plug-ins of @cyclonedx/cyclonedx-library, loaded only if installed; we write JSON.
  external: ['xmlbuilder2', 'libxmljs2'],
  // uri-js (under ajv) asks for `punycode`, which would load Node's deprecated built-in and print
  // a warning on every run; the npm package of the same name is the maintained one.
  alias: { punycode: 'punycode/' },
};

/**
 * Packages an entry point loads from node_modules instead of bundling: the CDK app (synthesized
 * by `pipeline run` and the cost bench), dynalite (a native LevelDB binding) and esbuild itself
 * (its API finds its binary beside it).
 */
export const loadedAtRunTime = ['aws-cdk-lib', 'constructs', 'cdk-nag', 'dynalite', 'esbuild'];
