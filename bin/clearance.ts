import { runCli } from '../shared/cli';

// node:sqlite (the vulnerability store, rpm databases) is stable enough for what we use of it;
// Node 22 still calls it experimental on every load, which users should not have to read.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  if (/SQLite is an experimental feature/.test(text)) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
};

runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  // Loaded on first use: the CDK app (aws-cdk-lib) is needed by `pipeline run` only.
  synthesize: async (context) =>
    (await import('../lib/synthesize')).synthesizeTemplate({ context }),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  },
);
