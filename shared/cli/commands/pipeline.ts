import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { runLocalScan, type LocalScanResult } from '../../pipeline/local/scan';
import { LocalStore } from '../../vulndb/local-store';
import { ExitCode, nowOf, type CliIO } from '../io';
import { addImageFlags, sourceOptionsOf, type ImageFlags } from '../registry-flags';
import { dbDirOf } from './db';
import { loadPolicy } from './policy';

const DEFAULT_STATE_DIR = join('.clearance', 'pipeline');

interface RunFlags extends ImageFlags {
  readonly stateDir: string;
  readonly db?: string;
  readonly policy: string;
  readonly template?: string;
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
    .option('--policy <file>', 'the policy Evaluate applies, or "default"', 'default')
    .option('--template <file>', 'a synthesized template (cdk.out/…) instead of synthesizing');
  return new Command('pipeline')
    .description('the cloud pipeline, locally')
    .addCommand(
      addImageFlags(run).action(async (reference: string, flags: RunFlags) => {
        const result = await runWithStore(reference, flags, io);
        printResult(result, flags.stateDir, io);
        if (result.execution.status === 'FAILED') setExit(ExitCode.inputError);
        else if (result.decision === 'fail') setExit(ExitCode.gateFailed);
      }),
    );
}

async function runWithStore(
  reference: string,
  flags: RunFlags,
  io: CliIO,
): Promise<LocalScanResult> {
  const dbDir = dbDirOf(flags, io);
  const hasData = existsSync(join(dbDir, 'osv.sqlite'));
  if (!hasData)
    io.stderr.write(
      `clearance: no vulnerability data in ${dbDir}: Match finds nothing ` +
        '(clearance db update, or db import examples/osv for the demo)\n',
    );
  const store = LocalStore.open(hasData ? dbDir : join(flags.stateDir, 'empty-db'), {
    create: !hasData,
  });
  try {
    return await runLocalScan({
      reference,
      stateDir: flags.stateDir,
      vulnerabilities: store,
      policy: await loadPolicy(flags.policy),
      template: await templateOf(flags),
      out: io.stdout,
      clock: () => nowOf(io),
      sourceOptions: sourceOptionsOf(flags, io),
      actor: io.env.USER ?? 'local',
    });
  } finally {
    store.close();
  }
}

async function templateOf(flags: RunFlags): Promise<Record<string, unknown>> {
  if (flags.template !== undefined)
    return JSON.parse(await readFile(flags.template, 'utf8')) as Record<string, unknown>;
  const { synthesizeTemplate } = await import('../../../lib/synthesize');
  return synthesizeTemplate();
}

function printResult(result: LocalScanResult, stateDir: string, io: CliIO): void {
  const where = (key: string): string => join(stateDir, 'objects', key);
  const lines =
    result.execution.status === 'FAILED'
      ? [`scan failed: ${result.execution.error?.Error ?? 'unknown error'}`]
      : [`verdict: ${result.decision ?? 'none'}`];
  if (result.scanId !== undefined) {
    lines.push(`report and SBOMs: ${where(`scans/${result.scanId}`)}/`);
  }
  lines.push(`notifications: ${join(stateDir, 'outbox.jsonl')}`);
  lines.push(`audit events: ${join(stateDir, 'audit.jsonl')}`);
  io.stdout.write(`\n${lines.join('\n')}\n`);
}
