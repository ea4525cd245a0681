// The `clearance` command. Nothing is imported before the Node version is checked, so that an
// older Node gets one line saying what to install rather than a syntax or module error.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const REQUIRED = [22, 15] as const;

async function main(): Promise<number> {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < REQUIRED[0] || (major === REQUIRED[0] && minor < REQUIRED[1])) {
    process.stderr.write(
      `clearance: needs Node.js ${REQUIRED.join('.')} or newer, and this is v${process.versions.node}; install a current Node.js LTS\n`,
    );
    return 2;
  }
  // node:sqlite (the vulnerability store, rpm databases) is stable enough for what we use of
  // it; Node 22 still calls it experimental on every load, which users should not have to read.
  const emitWarning = process.emitWarning.bind(process);
  process.emitWarning = (warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (/SQLite is an experimental feature/.test(text)) return;
    (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
  };
  const argv = process.argv.slice(2);
  // Stack traces name the TypeScript sources (the maps ship beside the bundle).
  if (argv.includes('--debug')) process.setSourceMapsEnabled(true);
  const { packagedTemplate, runCli } = await import('../shared/cli');
  return runCli(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    synthesize: async (context) => {
      // In a clone, the CDK app beside this bundle is synthesized (aws-cdk-lib is loaded for
      // that only); an installed package holds the template built when it was packed instead.
      if (existsSync(join(__dirname, '..', 'cdk.json')))
        return (await import('../lib/synthesize')).synthesizeTemplate({ context });
      return packagedTemplate(join(__dirname, 'template'), context);
    },
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  },
);
