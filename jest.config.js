/** ESM-only packages Jest loads through the transform (it runs CommonJS): RFC 8785's reference JCS. */
const ESM_PACKAGES = ['canonicalize'];

/**
 * Node 22 calls node:sqlite experimental on every load. The `test` script starts Jest with this
 * flag and its workers inherit it (jest-worker forks them with `process.execArgv`); `npx jest`
 * starts without it, so it is added here for the workers this process is about to fork.
 */
const NO_EXPERIMENTAL_WARNING = '--disable-warning=ExperimentalWarning';
if (!process.execArgv.includes(NO_EXPERIMENTAL_WARNING)) {
  process.execArgv.push(NO_EXPERIMENTAL_WARNING);
  // A short run goes in band, in this very process, which started without the flag: drop that one
  // warning as bin/clearance.ts does for users, and nothing else.
  const emitWarning = process.emitWarning.bind(process);
  process.emitWarning = (warning, ...rest) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (/SQLite is an experimental feature/.test(text)) return;
    emitWarning(warning, ...rest);
  };
}

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['<rootDir>/test/support/quiet.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2023' } }],
    [`/node_modules/(${ESM_PACKAGES.join('|')})/.+\\.js$`]: [
      '@swc/jest',
      { jsc: { target: 'es2023' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  testTimeout: 30_000,
};
