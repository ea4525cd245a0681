/**
 * Start-up of the CLI as users run it: from the installed package (`npm pack`, then
 * `npm install -g` of the tarball into a fresh prefix under .bench/startup), and, for comparison,
 * through `npx clearance` in the clone. Each command runs RUNS times after one warm-up run;
 * wall time per run (median and slowest), peak RSS of the last run (GNU time when installed).
 *
 *   npm run bench:startup
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';

const RUNS = 15;
const DIR = resolve('.bench', 'startup');
const DEMO = `oci:${resolve('examples', 'demo-image')}:latest`;
const NODE_DIR = resolve('node_modules', 'node', 'bin');
const env = { ...process.env, PATH: `${NODE_DIR}:${process.env.PATH ?? ''}` };

function sh(command: string, args: readonly string[], cwd = process.cwd()): string {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

function install(): string {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  sh('npm', ['pack', '--silent', '--pack-destination', DIR]);
  const tarball = readdirSync(DIR).find((f) => f.endsWith('.tgz'))!;
  sh(
    'npm',
    ['install', '--global', '--prefix', join(DIR, 'prefix'), '--no-audit', '--no-fund', tarball],
    DIR,
  );
  return join(DIR, 'prefix', 'bin', 'clearance');
}

function time(label: string, argv: readonly string[]): void {
  const run = () => {
    const start = process.hrtime.bigint();
    const result = spawnSync(argv[0]!, argv.slice(1), { env, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${label}: exit ${result.status}: ${result.stderr}`);
    return ms;
  };
  run();
  const times = Array.from({ length: RUNS }, run).sort((a, b) => a - b);
  const rss = existsSync('/usr/bin/time')
    ? spawnSync('/usr/bin/time', ['-f', '%M', ...argv], { env, encoding: 'utf8' })
        .stderr.trim()
        .split('\n')
        .pop()
    : undefined;
  const median = times[Math.floor(times.length / 2)]!;
  console.log(
    `${label.padEnd(46)} median ${(median / 1000).toFixed(3)} s   slowest ${(times.at(-1)! / 1000).toFixed(3)} s${rss ? `   ${Math.round(Number(rss) / 1024)} MiB` : ''}`,
  );
}

const clearance = install();
console.log(
  `${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${sh(join(NODE_DIR, 'node'), ['--version']).trim()}, ${RUNS} runs each after one warm-up`,
);
time('installed: clearance --help', [clearance, '--help']);
time('installed: clearance --version', [clearance, '--version']);
time('installed: clearance scan (demo image)', [clearance, 'scan', '--allow-incomplete', DEMO]);
time('installed: clearance sbom (demo image, amd64)', [
  clearance,
  'sbom',
  '--platform',
  'linux/amd64',
  DEMO,
]);
time('clone: npx clearance --help', ['npx', 'clearance', '--help']);
