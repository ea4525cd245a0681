import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { FRAMEWORKS, type FrameworkId } from '../../compliance';
import { messageOf } from '../../core';
import { parsePolicy, type Policy } from '../../policy';
import {
  DEFAULT_POSTURE_POLICY,
  postureAsffJson,
  postureCompliance,
  postureSarif,
  postureTable,
  parseDeploymentFile,
  postureReport,
  postureReportJson,
  registryChecks,
  type DeploymentDocument,
  type DocumentResult,
  type PostureReport,
} from '../../posture';
import { acceptanceOf, addCoverageFlags, ACCEPT_HINT, type CoverageFlags } from '../coverage-flags';
import { UsageError } from '../errors';
import {
  addReportFormatOptions,
  asffOptionsOf,
  reportFormatOf,
  writeReport,
  type ReportFormat,
  type ReportFormatFlags,
} from '../report-format';
import { ExitCode, nowOf, type CliIO } from '../io';
import { openFactsSource, type VerdictFlags } from './posture-verdicts';
import { summaryOf } from './summaries';

interface PostureFlags extends CoverageFlags, VerdictFlags, ReportFormatFlags {
  readonly policy?: string;
  readonly compliance?: FrameworkId;
  readonly trustedRegistry?: string[];
  readonly trustedAccount?: string[];
  readonly trustedUpstream?: string[];
  readonly pushPrincipal?: string[];
}

/**
 * `clearance posture FILE…`: how containers run, checked offline: ECS task definitions,
 * Kubernetes workloads, Compose files, and ECR's registry settings. Exit 1 when the policy denies
 * a workload, a registry check fails, or a document was not read (a gap nobody accepted).
 */
export function postureCommand(io: CliIO, setExit: (code: ExitCode) => void): Command {
  const command = new Command('posture')
    .description(summaryOf('posture'))
    .argument(
      '<files...>',
      'deployment files (JSON or YAML, several documents each); "-" reads stdin',
    );
  return addCoverageFlags(addPostureOptions(command)).action(
    async (files: string[], flags: PostureFlags) => {
      const accept = acceptanceOf(flags);
      const policy = await posturePolicy(flags.policy);
      const documents = await readFiles(files);
      const facts = await openFactsSource(flags);
      try {
        const report = await postureReport(documents, {
          now: nowOf(io),
          policy,
          accept,
          ...(facts.source !== undefined && { verdicts: facts.source }),
          trustedRegistries: flags.trustedRegistry ?? [],
          registry: {
            ...(flags.trustedAccount && { trustedAccounts: flags.trustedAccount }),
            ...(flags.trustedUpstream && { trustedUpstreams: flags.trustedUpstream }),
            ...(flags.pushPrincipal && { pushPrincipals: flags.pushPrincipal }),
          },
        });
        const output =
          flags.compliance === undefined
            ? report
            : { ...report, compliance: postureCompliance(report, flags.compliance) };
        await writeReport(io, flags.output, render(output, reportFormatOf(flags, io), io));
        const line = gateLine(report);
        if (line !== undefined) {
          io.stderr.write(`clearance: ${line}\n`);
          setExit(ExitCode.gateFailed);
        }
      } finally {
        await facts.close();
      }
    },
  );
}

async function posturePolicy(file: string | undefined): Promise<Policy> {
  if (file === undefined || file === 'default')
    return parsePolicy(DEFAULT_POSTURE_POLICY, 'default-posture');
  return parsePolicy(await readFile(file, 'utf8'), file);
}

/** Each file's documents; a file that cannot be opened is a usage error (exit 2), named. */
async function readFiles(
  files: readonly string[],
): Promise<(DeploymentDocument | DocumentResult)[]> {
  const all: (DeploymentDocument | DocumentResult)[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
    } catch (error) {
      throw new UsageError(
        `${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : messageOf(error)}`,
      );
    }
    all.push(...parseDeploymentFile(text, file === '-' ? '(stdin)' : file));
  }
  return all;
}

function readStdin(): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stdin.on('data', (c: Buffer | string) => chunks.push(Buffer.from(c)));
    stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stdin.on('error', reject);
  });
}

/** Why the gate failed, in one line; undefined when it passed (or only warned). */
function gateLine(report: PostureReport): string | undefined {
  const reasons: string[] = [];
  const denied = report.workloads.filter((w) => w.verdict.decision === 'fail');
  if (denied.length > 0) {
    const first = denied[0]!;
    const rules = first.verdict.rules
      .filter((r) => r.outcome === 'fail' || r.outcome === 'error')
      .map((r) => r.id);
    reasons.push(
      `${denied.length} of ${report.workloads.length} workloads denied by policy ${first.verdict.policy.name} (first: ${first.id}: ${rules.join(', ')})`,
    );
  }
  const registry = report.registry === null ? [] : registryChecks(report.registry);
  const failed = registry.filter((c) => c.status === 'fail' || c.status === 'error');
  if (failed.length > 0)
    reasons.push(
      `${failed.length} registry check${failed.length === 1 ? '' : 's'} failed (first: ${failed[0]!.id})`,
    );
  const open = report.coverage.gaps.filter((g) => g.acceptedBy === null);
  if (open.length > 0)
    reasons.push(
      `${open.length} document${open.length === 1 ? '' : 's'} not read (first: ${open[0]!.subject}: ${open[0]!.reason}); ${ACCEPT_HINT}`,
    );
  return reasons.length === 0 ? undefined : `posture gate failed: ${reasons.join('; ')}`;
}

/** The formats `posture` writes (the HTML page is the image scan's). */
const POSTURE_FORMATS = [
  'table',
  'json',
  'sarif',
  'asff',
] as const satisfies readonly ReportFormat[];

function render(report: PostureReport, format: ReportFormat, io: CliIO): Iterable<string> {
  if (format === 'table') return [postureTable(report)];
  if (format === 'sarif') return [postureSarif(report)];
  if (format === 'asff') return [postureAsffJson(report, asffOptionsOf(io))];
  return postureReportJson(report);
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The options of `posture` beyond the files and the coverage flags. */
function addPostureOptions(command: Command): Command {
  return addReportFormatOptions(command, POSTURE_FORMATS)
    .option(
      '--policy <file>',
      'judge each workload under this policy file (default: the bundled posture policy)',
    )
    .addOption(
      new Option('--compliance <framework>', 'add a control-by-control report').choices(
        FRAMEWORKS.map((f) => f.id),
      ),
    )
    .option(
      '--verdicts <dir>',
      'the images’ verdicts from the local pipeline state (.clearance/pipeline)',
    )
    .option('--verdicts-table <name>', 'the images’ verdicts from the deployed images table')
    .option(
      '--reports-bucket <bucket>',
      'with --verdicts-table: the artifacts bucket, for the images’ user and HEALTHCHECK',
    )
    .option('--region <region>', 'with --verdicts-table: the table’s region')
    .option(
      '--image-report <file>',
      'the images’ verdicts from saved `clearance scan --format json` reports (repeatable)',
      collect,
    )
    .option(
      '--trusted-registry <glob>',
      'a registry (or registry/repository glob) images may come from (repeatable)',
      collect,
    )
    .option(
      '--trusted-account <id>',
      'ECR: an account a repository policy or replication may name (repeatable)',
      collect,
    )
    .option(
      '--trusted-upstream <url>',
      'ECR: a pull-through cache upstream that is trusted (repeatable)',
      collect,
    )
    .option(
      '--push-principal <arn>',
      'ECR: a principal allowed to push (repeatable; globs)',
      collect,
    );
}
