/** How every entry point is bundled: one CommonJS file for Node 22, with source maps. */
export const nodeBundle = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
};
