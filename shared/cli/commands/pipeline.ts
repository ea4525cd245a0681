import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { failureLine } from '../../local';
import { localCopyReference } from '../../local';
import type { LocalExecution } from '../../local';
import type { PromotionResult } from '../../pipeline';
import type { QuarantineResult } from '../../pipeline';
import type { RecordedScan } from '../../pipeline';
import { verdictHeadline } from '../../pipeline';
import { runLocalScan, type LocalScanOptions, type LocalScanResult } from '../../local';
import { recordingsIn, runLocalPosture, type PostureRecordings } from '../../local';
import { importOsv, importPriority, splitPrioritySources } from '../../vulndb';
import { LocalStore } from '../../vulndb';
import { acceptanceOf, addCoverageFlags, type CoverageFlags } from '../coverage-flags';
import { UsageError } from '../errors';
import { ExitCode, nowOf, type CliIO } from '../io';
import { addImageFlags, sourceOptionsOf, type ImageFlags } from '../registry-flags';
import { dbDirOf } from './db';
import { loadPolicy } from '../policy-file';
import { parseSourceReference } from '../../sources';
import { summaryOf } from './summaries';

const DEFAULT_STATE_DIR = join('.clearance', 'pipeline');

interface RunFlags extends ImageFlags, CoverageFlags {
  readonly maxDataAge?: string;
  readonly stateDir: string;
  readonly db?: string;
  readonly osv?: string[];
  readonly policy: string;
  readonly template?: string;
  readonly context?: string[];
  readonly attachToLayout?: boolean;
}

/**
 * `clearance pipeline run IMAGE`: the ScanImage state machine the CDK app deploys, executed
 * here (aws-local-stepfunctions) with the handlers in-process, a directory for S3, dynalite for
 * DynamoDB and an outbox file for SNS. Exits 1 when the verdict is `fail`, 2 when the execution
 * failed (its failure is recorded and notified as in the cloud).
 */
export function pipelineCommand(io: CliIO, setExit: (code: ExitCode) => void): Command {
  const run = new Command('run')
    .description('run the deployed ScanImage state machine locally on an image')
    .argument('<image>', 'oci:DIR[:TAG|@DIGEST], docker-archive:FILE, or a registry reference')
    .option('--state-dir <dir>', 'objects, tables and outbox of local runs', DEFAULT_STATE_DIR)
    .option('--db <dir>', 'vulnerability data directory (default: as `clearance db status`)')
    .option(
      '--osv <path>',
      'use these OSV files or directories (and KEV and EPSS files) as the vulnerability data instead (repeatable)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--policy <file>', 'the policy Evaluate applies, or "default"', 'default')
    .option(
      '--template <file>',
      'a synthesized template (dist/cdk.out/Clearance.template.json) instead of synthesizing',
    )
    .option(
      '-c, --context <key=value>',
      "context for the synthesis, over cdk.json's, as `cdk -c` takes it (repeatable)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      '--attach-to-layout',
      'attach the signed verdict of an oci: image into its layout, and tag it there when ' +
        'quarantined (default: layouts in the state directory)',
    )
    .option(
      '--max-data-age <hours>',
      "vulnerability data older than this is a coverage gap (default: the template's, 120)",
    );
  return new Command('pipeline')
    .description(summaryOf('pipeline'))
    .addCommand(
      addImageFlags(addCoverageFlags(run)).action(async (reference: string, flags: RunFlags) => {
        const result = await runWithStore(reference, flags, io);
        printResult(result, flags, io);
        setExit(exitOf(result, io));
      }),
    )
    .addCommand(postureCommand(io, setExit));
}

interface PostureFlags {
  readonly recordings?: string;
  readonly ecsInventory?: string;
  readonly ecrRegistry?: string;
  readonly stateDir: string;
  readonly template?: string;
  readonly context?: string[];
}

/**
 * `clearance pipeline posture`: FleetScan's Posture state as deployed, on recorded ECS and ECR
 * API responses (the files a nightly run writes under `posture/<runId>/`) instead of the APIs,
 * with the running images' verdicts from the local images table. Exits 1 when a workload or a
 * registry check fails, 2 when nothing could be judged.
 */
function postureCommand(io: CliIO, setExit: (code: ExitCode) => void): Command {
  return new Command('posture')
    .description('run the nightly posture step locally on recorded ECS and ECR API responses')
    .option('--recordings <dir>', 'a directory holding ecs-inventory.json and/or ecr-registry.json')
    .option('--ecs-inventory <file>', 'a clearance/ecs-inventory/v1 recording')
    .option('--ecr-registry <file>', 'a clearance/ecr-registry/v1 recording')
    .option('--state-dir <dir>', 'objects and tables of local runs', DEFAULT_STATE_DIR)
    .option('--template <file>', 'a synthesized template instead of synthesizing')
    .option(
      '-c, --context <key=value>',
      "context for the synthesis, over cdk.json's (repeatable)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .action(async (flags: PostureFlags) => {
      const run = await runLocalPosture({
        template: await templateOf(flags, io),
        stateDir: flags.stateDir,
        recordings: postureRecordings(flags),
        clock: () => nowOf(io),
        print: (line) => io.stdout.write(`${line}\n`),
      });
      for (const line of run.lines) io.stdout.write(`${line}\n`);
      const outcome = run.outcome;
      if (outcome === undefined || outcome.status === 'failed') {
        const cause = run.execution.error?.Cause;
        const why = outcome?.cause ?? (typeof cause === 'string' ? cause : 'the step failed');
        io.stderr.write(`clearance: posture run failed: ${why.split('\n')[0]}\n`);
        return setExit(ExitCode.inputError);
      }
      const failing = outcome.workloads.fail > 0 || (outcome.registry?.failedChecks ?? 0) > 0;
      setExit(failing ? ExitCode.gateFailed : ExitCode.ok);
    });
}

function postureRecordings(flags: PostureFlags): PostureRecordings {
  const recordings = {
    ...(flags.recordings !== undefined && recordingsIn(flags.recordings)),
    ...(flags.ecsInventory !== undefined && { ecsInventory: flags.ecsInventory }),
    ...(flags.ecrRegistry !== undefined && { ecrRegistry: flags.ecrRegistry }),
  };
  if (recordings.ecsInventory === undefined && recordings.ecrRegistry === undefined)
    throw new UsageError(
      'no recording: give --recordings DIR, --ecs-inventory FILE or --ecr-registry FILE',
    );
  return recordings;
}

/**
 * 0 pass or warn, 1 fail, 2 when nothing could be judged: the execution failed, or the image is
 * not one (an artifact Resolve skipped); those say why in one line on stderr.
 */
function exitOf(result: LocalScanResult, io: CliIO): ExitCode {
  if (result.execution.status === 'FAILED') {
    io.stderr.write(`clearance: scan failed: ${failedLine(result.execution)}\n`);
    return ExitCode.inputError;
  }
  if (result.skipped !== undefined) {
    io.stderr.write(`clearance: ${result.skipped.detail}\n`);
    return ExitCode.inputError;
  }
  if (result.decision !== 'fail') return ExitCode.ok;
  const platforms = (result.execution.output as Partial<RecordedScan> | undefined)?.platforms;
  const why = platforms === undefined ? '' : ` (${verdictHeadline(platforms)})`;
  io.stderr.write(`clearance: verdict fail${why}\n`);
  return ExitCode.gateFailed;
}

async function runWithStore(
  reference: string,
  flags: RunFlags,
  io: CliIO,
): Promise<LocalScanResult> {
  // A reference that names no image is the first error to fix, before the data to match.
  parseSourceReference(reference);
  const store = await vulnerabilityStore(flags, io);
  try {
    return await runLocalScan({
      reference,
      stateDir: flags.stateDir,
      vulnerabilities: store,
      policy: await loadPolicy(flags.policy),
      template: await templateOf(flags, io),
      out: io.stdout,
      clock: () => nowOf(io),
      sourceOptions: sourceOptionsOf(flags, io),
      attachToLayout: flags.attachToLayout === true,
      actor: io.env.USER ?? 'local',
      coverage: coverageOf(flags),
    });
  } finally {
    store.close();
  }
}

/**
 * The data Match reads: the `--osv` files imported into the state directory (upserts by
 * `modified`, so a second run imports nothing new; KEV and EPSS files replace their copy), or
 * the `clearance db` store.
 */
async function vulnerabilityStore(flags: RunFlags, io: CliIO): Promise<LocalStore> {
  if (flags.osv !== undefined) {
    const store = LocalStore.open(join(flags.stateDir, 'osv-db'), { create: true });
    const { priority, rest } = await splitPrioritySources(flags.osv);
    await importOsv(store, rest);
    await importPriority(store, priority);
    return store;
  }
  const dir = dbDirOf(flags, io);
  if (!existsSync(dir))
    throw new UsageError(
      `no vulnerability data in ${dir}: run "clearance db update", or give --osv FILES ` +
        '(--osv examples/osv for the demo image)',
    );
  return LocalStore.open(dir);
}

/** The command line's coverage settings, over the template's (`acceptGaps`, `maxDataAgeHours`). */
function coverageOf(flags: RunFlags): LocalScanOptions['coverage'] {
  const accept = acceptanceOf(flags);
  const hours = flags.maxDataAge === undefined ? undefined : Number(flags.maxDataAge);
  if (hours !== undefined && !(Number.isFinite(hours) && hours > 0))
    throw new UsageError(`--max-data-age: "${flags.maxDataAge}" is not a positive number of hours`);
  return {
    ...((accept.all || accept.patterns.length > 0) && { accept }),
    ...(hours !== undefined && { maxDataAgeHours: hours }),
  };
}

/** The template to run: `--template`'s, or the CDK app synthesized by the injected `synthesize`. */
async function templateOf(
  flags: Pick<RunFlags, 'template' | 'context'>,
  io: CliIO,
): Promise<Readonly<Record<string, unknown>>> {
  const context = contextOf(flags.context ?? []);
  if (flags.template !== undefined) {
    if (flags.context !== undefined)
      throw new UsageError('--context applies to the synthesis; --template is already synthesized');
    return JSON.parse(await readFile(flags.template, 'utf8')) as Record<string, unknown>;
  }
  if (io.synthesize === undefined)
    throw new UsageError(
      'this clearance cannot synthesize the CDK app: give --template (a synthesized template)',
    );
  return io.synthesize(context);
}

/** `-c key=value` as the CDK CLI reads it: the value is text (`clearance` may be JSON text). */
function contextOf(pairs: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) throw new UsageError(`--context "${pair}" is not key=value`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

/** How to check the signed verdict: where a local image's attestation was left, if not in it. */
function verifyHint(result: LocalScanResult, flags: RunFlags): string {
  const stateDir = flags.stateDir;
  const keys = `--keys ${join(stateDir, 'verdict-keys')}`;
  const registry = result.input.image.registry;
  const inState =
    registry.startsWith('docker-archive:') ||
    (registry.startsWith('oci:') && flags.attachToLayout !== true);
  return inState
    ? `check: clearance verify-verdict IMAGE ${keys} --attestations ${join(stateDir, 'attestations')}`
    : `check: clearance verify-verdict IMAGE ${keys}`;
}

function printResult(result: LocalScanResult, flags: RunFlags, io: CliIO): void {
  const stateDir = flags.stateDir;
  const where = (key: string): string => join(stateDir, 'objects', key);
  const lines =
    result.execution.status === 'FAILED'
      ? [`scan failed: ${failedLine(result.execution)}`]
      : result.skipped !== undefined
        ? [`skipped: ${result.skipped.detail}`]
        : [`verdict: ${result.decision ?? 'none'}`];
  lines.push(...registryLines(result, flags));
  if (result.scanId !== undefined) {
    lines.push(`report and SBOMs: ${where(`scans/${result.scanId}`)}/`);
  }
  const signed = (result.execution.output as { attestation?: { attestation?: string } } | undefined)
    ?.attestation?.attestation;
  if (signed !== undefined) lines.push(`signed verdict: ${signed} (${verifyHint(result, flags)})`);
  lines.push(`notifications: ${join(stateDir, 'outbox.jsonl')}`);
  lines.push(`audit events: ${join(stateDir, 'audit.jsonl')}`);
  io.stdout.write(`\n${lines.join('\n')}\n`);
}

/** What failed the execution, its code and message: the caught error, not `Clearance.ScanFailed`. */
function failedLine(execution: LocalExecution): string {
  if (execution.failure !== undefined) return failureLine(execution.failure);
  return execution.error?.Error ?? 'unknown error';
}

/** Where Promote or a `tag` quarantine left the image: a reference to inspect or scan. */
function registryLines(result: LocalScanResult, flags: RunFlags): string[] {
  const output = result.execution.output as
    { promotion?: PromotionResult; quarantine?: QuarantineResult } | undefined;
  const image = result.input.image;
  const where = { stateDir: flags.stateDir, attachToLayout: flags.attachToLayout === true };
  const lines: string[] = [];
  const { promotion, quarantine } = output ?? {};
  if (promotion?.promoted === true && promotion.tag !== undefined)
    lines.push(
      `promoted: ${localCopyReference(image, { ...promotion, tag: promotion.tag }, where)}`,
    );
  else if (promotion !== undefined) lines.push(`not promoted: ${promotion.reason ?? 'no reason'}`);
  if (quarantine?.tag !== undefined)
    lines.push(
      `quarantined: ${localCopyReference(image, { repository: image.repository, tag: quarantine.tag }, where)}`,
    );
  return lines;
}
