/**
 * The hostile corpus (test/support/hostile, docs/hostile-corpus.md) through the bundled CLI:
 * each case × each command it applies to is one test, run as a real child process of
 * the bundled CLI (package.json's `bin`) under GNU time, two at a time. Every run must exit 0, 1 or 2 with at
 * most one `clearance: ` line on stderr when it fails, stay under 1 GiB and 60 s, and do what
 * the case's expectation class says (an input whose digests do not verify never exits 0).
 *
 * CLEARANCE_HOSTILE_RESULTS=FILE appends each run as a JSON line; CLEARANCE_HOSTILE_KEEP=1 keeps
 * the corpus and the state directories (their path is printed).
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeTemplate } from '../../lib/synthesize';
import {
  ALLOW_INCOMPLETE_COMMANDS,
  BASELINE_ID,
  CASES,
  writeCorpus,
  type CommandName,
  type HostileCase,
} from '../support/hostile';
import { commandLabel, report, violations, type HostileRun } from '../support/hostile/expect';
import { buildCliIfMissing, CLI_BUNDLE } from '../support/cli-bundle';
import { GNU_TIME, Slots, killAll, runMeasured, type RunResult } from '../support/hostile/run';

const ROOT = join(__dirname, '..', '..');
const CLI = CLI_BUNDLE;
/** 2026-11-02: the day after the example advisories' `modified`, so the data is fresh. */
const SOURCE_DATE_EPOCH = '1793577600';
/** Two cores: two runs at a time. */
const slots = new Slots(2);
/** Past the 60 s bound a run has failed; a second more tells it apart from one that just made it. */
const KILL_AFTER_MS = 61_000;
const KILL_ABOVE_RSS_KIB = 3 * 1024 * 1024;
/** A run may wait for one other run to finish, then take up to KILL_AFTER_MS itself. */
const TEST_TIMEOUT_MS = 2 * KILL_AFTER_MS + 20_000;
const SETUP_TIMEOUT_MS = 600_000;

const work = mkdtempSync(join(tmpdir(), 'clearance-hostile-'));
const corpus = join(work, 'corpus');
const db = join(work, 'db');
const template = join(work, 'Clearance.template.json');
const baselineReport = join(work, 'baseline-report.json');
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: join(work, 'home'),
  USER: 'hostile',
  LANG: 'C.UTF-8',
  TMPDIR: tmpdir(),
  SOURCE_DATE_EPOCH,
};
let sequence = 0;

/**
 * Each case × each of its commands, and the `--allow-incomplete` runs of the cases whose
 * digests do not verify (held only to not crashing).
 */
const RUNS: HostileRun[] = CASES.flatMap((hostile) =>
  hostile.commands.flatMap((command) => {
    const runs: HostileRun[] = [{ hostile, command, allowIncomplete: false }];
    const unverified = hostile.expectation === 'invalid-digest';
    if (unverified && (ALLOW_INCOMPLETE_COMMANDS as readonly CommandName[]).includes(command))
      runs.push({ hostile, command, allowIncomplete: true });
    return runs;
  }),
);

beforeAll(async () => {
  if (!existsSync(GNU_TIME))
    throw new Error(
      `${GNU_TIME} is missing: run scripts/install-test-tools.sh (Debian package "time")`,
    );
  buildCliIfMissing();
  mkdirSync(env.HOME!, { recursive: true });
  await writeCorpus(corpus);
  writeTemplate();
  await setUp(
    ['db', 'import', '--db', db, join(ROOT, 'examples', 'osv')],
    'the vulnerability store',
  );
  await setUp(
    [
      'scan',
      '--format',
      'json',
      '--output',
      baselineReport,
      '--db',
      db,
      `oci:${join(corpus, BASELINE_ID)}`,
    ],
    'the baseline report',
  );
}, SETUP_TIMEOUT_MS);

afterAll(() => {
  killAll();
  if (process.env.CLEARANCE_HOSTILE_KEEP === '1')
    process.stderr.write(`hostile corpus kept in ${work}\n`);
  else rmSync(work, { recursive: true, force: true });
});

describe('docs/hostile-corpus.md', () => {
  it('lists every case', () => {
    const page = readFileSync(join(ROOT, 'docs', 'hostile-corpus.md'), 'utf8');
    expect(CASES.map((c) => c.id).filter((id) => !page.includes(`| \`${id}\``))).toEqual([]);
  });
});

describe('the hostile corpus through the CLI', () => {
  it.concurrent.each(RUNS.map((run) => [`${run.hostile.id} › ${commandLabel(run)}`, run] as const))(
    '%s',
    async (_name, run) => {
      const argv = argvOf(run);
      const result = await slots.use(() => runCli(argv));
      record(run, argv, result);
      const broken = violations(run, result);
      if (broken.length > 0) throw new Error(report(run, argv, result, broken));
    },
    TEST_TIMEOUT_MS,
  );
});

/** The command line of one run; each pipeline run and import gets its own state directory. */
function argvOf(run: HostileRun): string[] {
  const { hostile, command } = run;
  const target = referenceOf(hostile);
  const platform = hostile.platform === undefined ? [] : ['--platform', hostile.platform];
  const allow = run.allowIncomplete ? ['--allow-incomplete'] : [];
  const baseline = `oci:${join(corpus, BASELINE_ID)}`;
  const state = (): string => join(work, 'state', `${hostile.id}-${command}-${++sequence}`);
  const argv: Record<CommandName, () => string[]> = {
    inspect: () => ['inspect', '--verify', ...platform, target],
    scan: () => ['scan', '--format', 'json', '--db', db, ...platform, ...allow, target],
    sbom: () => ['sbom', '--format', 'cyclonedx', ...platform, ...allow, target],
    pipeline: () => [
      'pipeline',
      'run',
      '--db',
      db,
      '--template',
      template,
      '--state-dir',
      state(),
      ...platform,
      ...allow,
      target,
    ],
    'db-import': () => ['db', 'import', '--db', state(), target],
    'scan-policy': () => ['scan', '--format', 'json', '--db', db, '--policy', target, baseline],
    'policy-test': () => ['policy', 'test', target, '--input', baselineReport, '--expect', 'pass'],
    'policy-input': () => ['policy', 'test', 'default', '--input', target, '--expect', 'pass'],
  };
  return argv[command]();
}

/** A case's reference with its corpus-relative path made absolute. */
function referenceOf(hostile: Pick<HostileCase, 'reference'>): string {
  const match = /^(oci:|docker-archive:)?(.*)$/.exec(hostile.reference)!;
  return `${match[1] ?? ''}${join(corpus, match[2]!)}`;
}

function runCli(argv: readonly string[]): Promise<RunResult> {
  return runMeasured(argv, {
    cli: CLI,
    cwd: env.HOME!,
    env,
    timeFile: join(work, `time-${++sequence}.txt`),
    killAfterMs: KILL_AFTER_MS,
    killAboveRssKiB: KILL_ABOVE_RSS_KIB,
  });
}

/** A setup command that must succeed. */
async function setUp(argv: readonly string[], what: string): Promise<void> {
  const result = await runCli(argv);
  if (result.code !== 0)
    throw new Error(
      `setting up ${what}: clearance ${argv.join(' ')} exited ${result.code}: ${result.stderr}`,
    );
}

/** The CDK app's template, synthesized once for every `pipeline run --template`. */
function writeTemplate(): void {
  writeFileSync(template, JSON.stringify(synthesizeTemplate()));
}

function record(run: HostileRun, argv: readonly string[], result: RunResult): void {
  const file = process.env.CLEARANCE_HOSTILE_RESULTS;
  if (file === undefined) return;
  const { stdout: _stdout, ...kept } = result;
  const line = {
    id: run.hostile.id,
    expectation: run.hostile.expectation,
    command: commandLabel(run),
    argv,
    ...kept,
    stderr: result.stderr.slice(0, 2000),
    violations: violations(run, result),
  };
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}
