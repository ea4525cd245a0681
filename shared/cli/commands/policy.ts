import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { z } from 'zod';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../core';
import { isObject, parseJson } from '../../core';
import { CIS_BENCHMARK, judgeWorkload, type WorkloadReport } from '../../posture';
import { evaluatePolicy, type Verdict } from '../../policy';
import type { MultiPlatformScanReport, ScanReport } from '../../scan';
import { UsageError } from '../errors';
import { loadPolicy } from '../policy-file';
import { ExitCode, nowOf, type CliIO } from '../io';
import { summaryOf } from './summaries';

const DECISIONS = ['pass', 'warn', 'fail'] as const;

interface TestFlags {
  readonly input: string;
  readonly expect?: Verdict['decision'];
}

/**
 * `clearance policy test POLICY --input REPORT.json [--expect DECISION]`: judges a saved scan
 * report, as `conftest verify` lets teams unit-test their policies in CI. Prints the verdict;
 * exits 1 when it differs from `--expect`, or, without one, when it is `fail`.
 */
export function policyCommand(io: CliIO, setExit: (code: ExitCode) => void): Command {
  const test = new Command('test')
    .description(
      'judge a saved report under a policy: clearance scan --format json, or clearance posture --format json (each workload)',
    )
    .argument('<policy>', 'policy file, or "default"')
    .requiredOption(
      '--input <report>',
      'the JSON report of `clearance scan` or `clearance posture`',
    )
    .addOption(
      new Option('--expect <decision>', 'exit 1 unless the decision is this').choices([
        ...DECISIONS,
      ]),
    )
    .action(async (file: string, flags: TestFlags) => {
      const policy = await loadPolicy(file);
      const bytes = await readFile(flags.input);
      const posture = postureWorkloadsOf(bytes);
      const verdicts =
        posture !== undefined
          ? posture.map((workload) => judgeWorkload(policy, workload, nowOf(io)))
          : reportsOf(bytes, flags.input).map((report) =>
              evaluatePolicy(policy, report, nowOf(io)),
            );
      io.stdout.write(
        `${JSON.stringify(verdicts.length === 1 ? verdicts[0] : verdicts, null, 2)}\n`,
      );
      const wanted = (v: Verdict) =>
        flags.expect === undefined ? v.decision !== 'fail' : v.decision === flags.expect;
      const missed = verdicts.find((v) => !wanted(v));
      if (missed === undefined) return;
      io.stderr.write(`clearance: ${mismatchLine(missed, flags.expect)}\n`);
      setExit(ExitCode.gateFailed);
    });
  return new Command('policy').description(summaryOf('policy')).addCommand(test);
}

/**
 * The workloads of a `clearance posture --format json` report (it names its benchmark and has
 * workloads); undefined for anything else, which is then read as a scan report.
 */
function postureWorkloadsOf(bytes: Buffer): WorkloadReport[] | undefined {
  const json = parseJson(bytes);
  if ('reason' in json || !isObject(json.value)) return undefined;
  const { benchmark, workloads } = json.value;
  if (benchmark !== CIS_BENCHMARK || !Array.isArray(workloads)) return undefined;
  return workloads as WorkloadReport[];
}

/** The parts of a saved report a verdict reads; the rest is checked by the policy's rules. */
const SavedReport = z
  .object({
    schemaVersion: z.literal(1),
    image: z.object({ reference: z.string(), digest: z.string() }).passthrough(),
    packages: z.array(z.object({}).passthrough()),
  })
  .passthrough();
const SavedReports = z.union([
  z.object({ platforms: z.array(SavedReport).min(1) }).passthrough(),
  SavedReport,
]);

/** The reports of `clearance scan --format json` output, one per platform. */
function reportsOf(bytes: Buffer, source: string): ScanReport[] {
  const json = parseJson(bytes);
  if ('reason' in json) throw new UsageError(`--input ${source}: ${json.reason}`);
  if (nestsDeeperThan(json.value, MAX_JSON_DEPTH))
    throw new UsageError(
      `--input ${source}: not a scan report: nests deeper than ${MAX_JSON_DEPTH} levels`,
    );
  const parsed = SavedReports.safeParse(json.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(
      `--input ${source}: not a scan report of clearance scan --format json: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
  }
  const value = parsed.data as Partial<MultiPlatformScanReport>;
  return (value.platforms ?? [parsed.data]) as ScanReport[];
}

/**
 * Why `policy test` failed, in one line: the decision expected and the one got, then what
 * decided it (the rules that failed, erred or warned, or the gaps nobody accepted).
 */
function mismatchLine(verdict: Verdict, expect: Verdict['decision'] | undefined): string {
  const wanted = expect === undefined ? 'expected pass or warn' : `expected ${expect}`;
  const deciding = verdict.rules.filter((r) => r.outcome === 'fail' || r.outcome === 'error');
  const reasons = [
    deciding.length > 0
      ? `decided by ${deciding.map((r) => `${r.id} (${r.action} ${r.outcome}${r.message === null ? '' : `: ${r.message}`})`).join(', ')}`
      : 'no rule failed',
    ...(verdict.coverage === 'incomplete' ? ['the report leaves gaps nobody accepted'] : []),
  ];
  return `policy ${verdict.policy.name}: ${wanted}, got ${verdict.decision}: ${reasons.join('; ')}`;
}
