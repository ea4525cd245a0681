import { isKev } from '../../priority';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { parseJson } from '../../core';
import { FRAMEWORKS, type FrameworkId } from '../../compliance';
import { loadKeys } from './keys';
import { loadPolicy } from '../policy-file';
import { SEVERITIES, type Severity } from '../../osv';
import type { Detection } from '../../match';
import { asffJson } from '../../output';
import { sarifJson } from '../../output';
import { scanHtml } from '../../output';
import { scanTable } from '../../output';
import { filterFindings, gateFailures } from '../../scan';
import type { ScanReport } from '../../scan';
import { scanImage, scanOutput, type VulnerabilityOptions } from '../../scan';
import type { ImageSource } from '../../image';
import { openImageSource } from '../../sources';
import type { Suppressions } from '../../suppress';
import { SuppressionError } from '../../suppress';
import { parseIgnoreFile } from '../../suppress';
import { parseVex } from '../../suppress';
import { VulnDbError } from '../../vulndb';
import { LocalStore } from '../../vulndb';
import {
  acceptanceOf,
  addCoverageFlags,
  hasUnreadableLayer,
  incompleteMessage,
  type CoverageFlags,
} from '../coverage-flags';
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
import { addImageFlags, platformOf, sourceOptionsOf, type ImageFlags } from '../registry-flags';
import { addQuietFlag, progressOf } from '../progress';
import { dbDirOf } from './db';
import { summaryOf } from './summaries';

const DEFAULT_IGNORE_FILE = '.clearanceignore.yaml';

interface ScanFlags extends ImageFlags, CoverageFlags, ReportFormatFlags {
  readonly quiet?: boolean;
  readonly maxDataAge?: string;
  readonly db?: string;
  readonly detection: Detection;
  readonly severity?: string;
  readonly ignoreUnfixed?: boolean;
  readonly failOn?: Severity;
  readonly failOnKev?: boolean;
  readonly vex?: string[];
  readonly ignoreFile?: string;
  /** `--no-secrets` sets it false. */
  readonly secrets: boolean;
  /** `--no-checks` sets it false. */
  readonly checks: boolean;
  readonly compliance?: FrameworkId;
  readonly policy?: string;
  readonly key?: string[];
}

/** `clearance scan IMAGE`: OS, packages, known vulnerabilities and secrets, with a gate for CI. */
export function scanCommand(io: CliIO, setExit: (code: ExitCode) => void): Command {
  const command = new Command('scan')
    .description(summaryOf('scan'))
    .argument('<image>', 'oci:DIR[:TAG|@DIGEST], docker-archive:FILE, or a registry reference');
  return addQuietFlag(addImageFlags(addCoverageFlags(addScanOptions(command)))).action(
    async (reference: string, flags: ScanFlags) => {
      const failOn = flags.failOn?.toUpperCase() as Severity | undefined;
      const accept = acceptanceOf(flags);
      const maxDataAgeHours = hoursOf(flags.maxDataAge);
      const source = openImageSource(reference, sourceOptionsOf(flags, io));
      const vulnerabilities = await vulnerabilityOptions(flags, io, {
        gated: failOn !== undefined || flags.failOnKev === true,
        source,
      }).catch(async (error: unknown) => {
        await source.close();
        throw error;
      });
      const progress = progressOf(io, flags);
      try {
        const scanned = await scanImage(source, {
          onProgress: progress.scan,
          platform: platformOf(flags),
          today: nowOf(io),
          secrets: flags.secrets,
          checks: flags.checks,
          coverage: {
            vulnerabilities: true,
            accept,
            ...(maxDataAgeHours !== undefined && { maxDataAgeHours }),
          },
          ...(flags.compliance && { compliance: flags.compliance }),
          ...(flags.policy !== undefined && { policy: await loadPolicy(flags.policy) }),
          ...(flags.key !== undefined && { signatureKeys: await loadKeys(flags.key) }),
          ...(vulnerabilities && { vulnerabilities }),
        });
        progress.end();
        const reports = filterFindings(scanned, {
          ...(flags.severity !== undefined && { severities: severitiesOf(flags.severity) }),
          ...(flags.ignoreUnfixed && { ignoreUnfixed: true }),
        });
        await writeReport(io, flags.output, [render(reports, reportFormatOf(flags, io), io)]);
        setExit(
          kevGate(reports, flags.failOnKev === true, io) ??
            exitOf(reports, failOn, flags.policy !== undefined || flags.failOnKev === true, io),
        );
      } finally {
        progress.end();
        await source.close();
        if (vulnerabilities?.store instanceof LocalStore) vulnerabilities.store.close();
      }
    },
  );
}

/**
 * The exit code of a finished scan: 1 when a gate asked for fails (a policy's verdict, an
 * unsuppressed finding at `--fail-on` or above, a coverage gap nobody accepted under either);
 * without a gate, 2 when a layer could not be read or verified (the image is not what it
 * claims); else 0. An open gap is always said on stderr, in one line.
 */
function exitOf(
  reports: readonly ScanReport[],
  failOn: Severity | undefined,
  policy: boolean,
  io: CliIO,
): ExitCode {
  const incomplete = incompleteMessage(reports);
  const failed = gateFailed(reports, failOn);
  const line = incomplete ?? failed;
  if (line !== undefined) io.stderr.write(`clearance: ${line}\n`);
  const gated = failOn !== undefined || policy;
  if (failed !== undefined || (gated && incomplete !== undefined)) return ExitCode.gateFailed;
  return hasUnreadableLayer(reports) ? ExitCode.inputError : ExitCode.ok;
}

/**
 * `--fail-on-kev`: 1 when an unsuppressed finding is in CISA's KEV catalog, said in one line;
 * 2 when the data holds no KEV catalog (the gate cannot be judged); undefined when it passes
 * (the other gates then decide) or was not asked for.
 */
function kevGate(reports: readonly ScanReport[], asked: boolean, io: CliIO): ExitCode | undefined {
  if (!asked) return undefined;
  if (reports.some((r) => r.vulnerabilities !== undefined && r.database?.kev === undefined)) {
    io.stderr.write(
      'clearance: --fail-on-kev: the vulnerability data holds no KEV catalog: run "clearance db update" or import known_exploited_vulnerabilities.json\n',
    );
    return ExitCode.inputError;
  }
  const kev = reports
    .flatMap((r) => r.vulnerabilities ?? [])
    .filter((f) => f.suppressedBy === null && isKev(f));
  if (kev.length === 0) return undefined;
  const ids = [...new Set(kev.map((f) => f.id))];
  const named = ids
    .slice(0, MAX_IDS)
    .map((id) => kev.find((f) => f.id === id)!)
    .map((f) => `${f.id} in ${f.package} ${f.installedVersion}`);
  io.stderr.write(
    `clearance: --fail-on-kev: ${ids.length} unsuppressed ${ids.length === 1 ? 'vulnerability is' : 'vulnerabilities are'} in CISA's KEV catalog (${named.join(', ')}${ids.length > MAX_IDS ? ', …' : ''})\n`,
  );
  return ExitCode.gateFailed;
}

/** How many finding ids a gate's line names before "…". */
const MAX_IDS = 5;

/**
 * Which gate failed and on what, in one line (`--fail-on high: 1 unsuppressed finding at or
 * above HIGH (CVE-… in libssl3 3.0.11-1)`); undefined when none did.
 */
function gateFailed(
  reports: readonly ScanReport[],
  failOn: Severity | undefined,
): string | undefined {
  const denied = reports.flatMap((r) => (r.verdict?.decision === 'fail' ? [r.verdict] : []));
  const findings = failOn === undefined ? [] : gateFailures(reports, failOn);
  const reasons = [
    ...denied.slice(0, 1).map((v) => {
      const rules = v.rules.filter((r) => r.outcome === 'fail' || r.outcome === 'error');
      return `--policy ${v.policy.name}: fail${rules.length > 0 ? ` (${rules.map((r) => r.id).join(', ')})` : ''}`;
    }),
    ...(findings.length > 0 ? [failOnLine(findings, failOn!)] : []),
  ];
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

function failOnLine(findings: ReturnType<typeof gateFailures>, failOn: Severity): string {
  const named = findings
    .slice(0, MAX_IDS)
    .map((f) => `${f.id} ${f.severity} in ${f.package} ${f.installedVersion}`);
  const more = findings.length > MAX_IDS ? ', …' : '';
  return `--fail-on ${failOn.toLowerCase()}: ${findings.length} unsuppressed ${findings.length === 1 ? 'finding' : 'findings'} at or above ${failOn} (${named.join(', ')}${more})`;
}

/** `--max-data-age HOURS`: a positive number. */
function hoursOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const hours = Number(text);
  if (!Number.isFinite(hours) || hours <= 0)
    throw new UsageError(`--max-data-age: "${text}" is not a positive number of hours`);
  return hours;
}

/** The options of `scan` beyond the image flags. */
function addScanOptions(command: Command): Command {
  return addReportFormatOptions(command)
    .option('--db <dir>', 'vulnerability data directory (default: as `clearance db status`)')
    .option(
      '--max-data-age <hours>',
      'vulnerability data whose newest advisory is older than this is a coverage gap (default: 120)',
    )
    .addOption(
      new Option(
        '--detection <mode>',
        'precise: OS-owned language packages judged by their distro only',
      )
        .choices(['precise', 'comprehensive'])
        .default('precise'),
    )
    .option('--severity <list>', `show only these severities (${SEVERITIES.join(',')})`)
    .option('--ignore-unfixed', 'show only vulnerabilities that have a fixed version')
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when an unsuppressed finding at or above it remains',
      ).choices(SEVERITIES.filter((s) => s !== 'UNKNOWN').flatMap((s) => [s, s.toLowerCase()])),
    )
    .option(
      '--fail-on-kev',
      "exit 1 when an unsuppressed finding is in CISA's Known Exploited Vulnerabilities catalog",
    )
    .option(
      '--vex <file>',
      'an OpenVEX 0.2 document whose not_affected/fixed statements suppress (repeatable)',
      collect,
    )
    .option('--no-secrets', 'do not search the layers and the config for secrets')
    .option('--no-checks', 'do not run the image configuration checks')
    .option('--policy <file>', 'judge the image under a policy file, or "default"; exit 1 on fail')
    .option(
      '--key <key>',
      'verify cosign signatures with a public key file or awskms://ARN (repeatable)',
      collect,
    )
    .addOption(
      new Option('--compliance <framework>', 'add a control-by-control report').choices(
        FRAMEWORKS.map((f) => f.id),
      ),
    )
    .option(
      '--ignore-file <file>',
      `ignore entries with owner and expiry (default: ./${DEFAULT_IGNORE_FILE} when present)`,
    );
}

/** A repeatable option's values, in order: `--vex a.json --vex b.json`. */
function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * The store and suppressions; none (packages only) when there is no data and no gate needs it.
 * Missing data that a gate needs is said only once the image's root was read: an image that
 * cannot be read is the error to fix first.
 */
async function vulnerabilityOptions(
  flags: ScanFlags,
  io: CliIO,
  { gated, source }: { readonly gated: boolean; readonly source: ImageSource },
): Promise<VulnerabilityOptions | undefined> {
  const suppressions = await suppressionsOf(flags);
  let store: LocalStore;
  try {
    store = LocalStore.open(dbDirOf(flags, io));
  } catch (error) {
    // Only a store that is not there yet means "no data": the report's coverage says so (a
    // gap), and so does stderr. A damaged one is an error, whatever was asked.
    const missing = error instanceof VulnDbError && error.code === 'VULNDB_MISSING';
    if (!missing) throw error;
    if (gated || flags.db !== undefined) {
      await source.resolveRoot();
      throw error;
    }
    return undefined;
  }
  return { store, detection: flags.detection, suppressions };
}

async function suppressionsOf(flags: ScanFlags): Promise<Suppressions> {
  const vex = [];
  for (const file of flags.vex ?? []) {
    const json = parseJson(await readFile(file));
    if ('reason' in json) throw new SuppressionError('VEX_INVALID', `${file}: ${json.reason}`);
    vex.push(...parseVex(json.value, file));
  }
  const ignoreFile =
    flags.ignoreFile ?? (existsSync(DEFAULT_IGNORE_FILE) ? DEFAULT_IGNORE_FILE : undefined);
  const ignores =
    ignoreFile === undefined ? [] : parseIgnoreFile(await readFile(ignoreFile, 'utf8'), ignoreFile);
  return { vex, ignores };
}

function severitiesOf(list: string): Severity[] {
  return list.split(',').map((s) => {
    const severity = s.trim().toUpperCase();
    if (!(SEVERITIES as readonly string[]).includes(severity))
      throw new UsageError(`--severity: "${s}" is not one of ${SEVERITIES.join(', ')}`);
    return severity as Severity;
  });
}

function render(reports: ScanReport[], format: ReportFormat, io: CliIO): string {
  if (format === 'table') return scanTable(reports);
  if (format === 'asff') return asffJson(reports, asffOptionsOf(io));
  if (format === 'sarif') return sarifJson(reports);
  if (format === 'html') return scanHtml(reports);
  return `${JSON.stringify(scanOutput(reports), null, 2)}\n`;
}
