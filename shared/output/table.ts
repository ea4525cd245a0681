import type { Finding } from '../match';
import { SEVERITIES } from '../osv';
import { comparePriority, isKev } from '../priority';
import type { CheckResult } from '../checks';
import { coverageStatus, describeGap, type Coverage } from '../coverage';
import type { ComplianceReport } from '../compliance';
import type { Verdict } from '../policy';
import type { ScanReport } from '../scan';
import type { SecretFinding, SensitiveFileFinding } from '../secrets';

const COLUMNS = ['PACKAGE', 'INSTALLED', 'FIXED', 'VULNERABILITY', 'PATH'];
const PRIORITY_COLUMNS = [
  'SEVERITY',
  'PACKAGE',
  'INSTALLED',
  'FIXED',
  'VULNERABILITY',
  'KEV',
  'EPSS',
  'PATH',
];
const SECRET_COLUMNS = ['SEVERITY', 'RULE', 'WHERE', 'MATCH (REDACTED)'];
const FILE_COLUMNS = ['SEVERITY', 'RULE', 'PATH'];
const CHECK_COLUMNS = ['SEVERITY', 'CHECK', 'CIS', 'EVIDENCE'];
const CONTROL_COLUMNS = ['CONTROL', 'STATUS', 'TITLE'];
const DELETED_LATER = ' (deleted later, still in a layer)';

/**
 * The human summary of a scan: per platform, the OS and package count, then the unsuppressed
 * findings grouped by severity (package, installed and fixed version, id, where it was found),
 * and a line of what was suppressed or could not be checked.
 */
export function scanTable(reports: readonly ScanReport[]): string {
  return reports.map(platformTable).join('\n');
}

function platformTable(report: ScanReport): string {
  const os = report.os
    ? `${report.os.prettyName ?? `${report.os.id} ${report.os.versionId ?? ''}`}${report.os.eol ? ' (END OF LIFE)' : ''}`
    : 'unknown OS';
  const lines = [
    `${report.image.reference} (${report.image.platform}): ${os}, ${report.packages.length} packages`,
    ...(report.coverage === undefined ? [] : coverageLines(report.coverage)),
    ...vulnerabilityLines(report),
    ...(report.secrets === undefined ? [] : secretLines(report.secrets)),
    ...(report.sensitiveFiles?.length ? sensitiveFileLines(report.sensitiveFiles) : []),
    ...(report.signature === undefined
      ? []
      : [
          '',
          `  signature: ${report.signature.status}${report.signature.keyId ? ` by ${report.signature.keyId}` : ''}${report.signature.problems.map((p) => `; ${p}`).join('')}`,
        ]),
    ...(report.checks === undefined ? [] : checkLines(report.checks)),
    ...(report.compliance === undefined ? [] : complianceLines(report.compliance)),
    ...(report.verdict === undefined ? [] : verdictLines(report.verdict)),
  ];
  return `${lines.join('\n')}\n`;
}

function vulnerabilityLines(report: ScanReport): string[] {
  if (report.vulnerabilities === undefined)
    // The coverage lines above already name the gap and its next step: said once.
    return report.coverage?.gaps.some((g) => g.kind === 'no-vulnerability-data')
      ? ['  vulnerabilities not checked (see coverage)']
      : ['  vulnerabilities not checked: no vulnerability data (run "clearance db update")'];
  const open = report.vulnerabilities.filter((f) => f.suppressedBy === null);
  const counts = SEVERITIES.map((s) => `${open.filter((f) => f.severity === s).length} ${s}`);
  const kev = report.database?.kev ? `; ${open.filter(isKev).length} in CISA KEV` : '';
  const lines = [`  ${open.length} vulnerabilities: ${counts.join(', ')}${kev}`];
  lines.push(...findingLines(report, open));
  const notApplicable = report.vulnerabilities.filter(
    (f) => f.suppressedBy?.kind === NOT_APPLICABLE,
  ).length;
  const suppressed = report.vulnerabilities.length - open.length - notApplicable;
  const notes = [
    notApplicable > 0
      ? `${notApplicable} not applicable to their binaries (another platform, or the Go tools' code)`
      : '',
    suppressed > 0 ? `${suppressed} suppressed (VEX or ignore file)` : '',
    report.expiredIgnores?.length ? `${report.expiredIgnores.length} ignore entries expired` : '',
    report.vulnerabilityProblems?.length
      ? `${report.vulnerabilityProblems.reduce((n, p) => n + p.packages, 0)} packages could not be checked (see coverage)`
      : '',
  ].filter((n) => n !== '');
  if (notes.length > 0) lines.push('', `  ${notes.join('; ')}`);
  return lines;
}

/** What the scan could not check, first: the gaps nobody accepted, then the accepted ones. */
function coverageLines(coverage: Coverage): string[] {
  const status = coverageStatus(coverage);
  if (status === 'complete') return [];
  const open = coverage.gaps.filter((g) => g.acceptedBy === null);
  const accepted = coverage.gaps.filter((g) => g.acceptedBy !== null);
  const omitted = coverage.omitted > 0 ? [`    and ${coverage.omitted} more gaps, not listed`] : [];
  const count = open.length + (coverage.omittedAcceptedBy === null ? coverage.omitted : 0);
  return [
    '',
    status === 'incomplete'
      ? `  COVERAGE INCOMPLETE: ${plural(count, 'gap')} not checked and not accepted (the gate fails)`
      : `  coverage: ${plural(accepted.length, 'gap')} accepted`,
    ...open.map((g) => `    ${describeGap(g)}`),
    ...accepted.map((g) => `    accepted by ${g.acceptedBy}: ${describeGap(g)}`),
    ...omitted,
    '',
  ];
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Secrets, most severe first; those a later layer deleted say so. */
function secretLines(secrets: readonly SecretFinding[]): string[] {
  if (secrets.length === 0) return ['  0 secrets'];
  const rows = bySeverity(secrets).map((s) => [
    s.severity,
    s.rule,
    `${s.path}:${s.line}${s.removedInLayer === null ? '' : DELETED_LATER}`,
    s.match,
  ]);
  return ['', `SECRETS (${secrets.length})`, ...grid(SECRET_COLUMNS, rows)];
}

function sensitiveFileLines(files: readonly SensitiveFileFinding[]): string[] {
  const rows = bySeverity(files).map((f) => [
    f.severity,
    f.rule,
    `${f.path}${f.removedInLayer === null ? '' : DELETED_LATER}`,
  ]);
  return ['', `SENSITIVE FILES (${files.length})`, ...grid(FILE_COLUMNS, rows)];
}

/** The checks that failed or erred, most severe first, with their first piece of evidence. */
function checkLines(checks: readonly CheckResult[]): string[] {
  const failed = bySeverity(checks.filter((c) => c.status === 'fail' || c.status === 'error'));
  const passed = checks.filter((c) => c.status === 'pass').length;
  const summary = `  checks: ${failed.length} failed, ${passed} passed, ${checks.length - failed.length - passed} informational or not applicable`;
  if (failed.length === 0) return ['', summary];
  const rows = failed.map((c) => [
    c.status === 'error' ? 'ERROR' : c.severity,
    c.id,
    c.cis ?? '',
    `${c.evidence[0] ?? ''}${c.evidence.length > 1 ? ` (+${c.evidence.length - 1} more)` : ''}`,
  ]);
  return ['', summary, '', `FAILED CHECKS (${failed.length})`, ...grid(CHECK_COLUMNS, rows)];
}

function complianceLines(compliance: ComplianceReport): string[] {
  const rows = compliance.controls.map((c) => [c.id, c.status.toUpperCase(), c.title]);
  return ['', compliance.title, ...grid(CONTROL_COLUMNS, rows)];
}

/** The decision, then every rule that did not pass, with why. */
function verdictLines(verdict: Verdict): string[] {
  const open = verdict.rules.filter((r) => r.outcome === 'fail' || r.outcome === 'error');
  return [
    '',
    `VERDICT: ${verdict.decision.toUpperCase()} under policy ${verdict.policy.name} (${verdict.policy.digest.slice(0, 19)}…)`,
    ...(verdict.coverage === 'incomplete'
      ? ['  incomplete: the scan left gaps nobody accepted (see COVERAGE above)']
      : []),
    ...open.map(
      (r) => `  ${r.action} ${r.id}: ${r.outcome === 'error' ? 'ERROR ' : ''}${r.message ?? ''}`,
    ),
    ...verdict.expiredExceptions.map((e) => `  exception ${e.id} expired on ${e.expires}`),
  ];
}

function bySeverity<T extends { readonly severity: string }>(items: readonly T[]): T[] {
  const rank = (s: string) => (SEVERITIES as readonly string[]).indexOf(s);
  return [...items].sort((a, b) => rank(a.severity) - rank(b.severity));
}

function row(f: Finding): string[] {
  return [f.package, f.installedVersion, f.fixedVersion ?? `(${f.status})`, idOf(f), f.path];
}

/**
 * The open findings: with KEV or EPSS data, one list in the order to work in (see
 * `comparePriority`); without, grouped by severity.
 */
function findingLines(report: ScanReport, open: readonly Finding[]): string[] {
  if (report.database?.kev !== undefined || report.database?.epss !== undefined)
    return open.length === 0
      ? []
      : [
          '',
          'BY PRIORITY (in CISA KEV first, then by EPSS score, then by severity)',
          ...grid(PRIORITY_COLUMNS, [...open].sort(comparePriority).map(priorityRow)),
        ];
  return SEVERITIES.flatMap((severity) => {
    const group = open.filter((f) => f.severity === severity);
    return group.length === 0
      ? []
      : ['', `${severity} (${group.length})`, ...grid(COLUMNS, group.map(row))];
  });
}

/** A row of the priority list: KEV `yes` (added, ransomware), EPSS score and percentile. */
function priorityRow(f: Finding): string[] {
  const [name, installed, fixed, id, path] = row(f);
  const kev =
    f.kev === undefined
      ? '?'
      : f.kev === null
        ? '-'
        : `yes ${f.kev.dateAdded}${f.kev.knownRansomwareCampaignUse === 'Known' ? ' ransomware' : ''}`;
  const epss =
    f.epss === undefined
      ? '?'
      : f.epss === null
        ? '-'
        : `${(f.epss.score * 100).toFixed(1)}% (p${Math.floor(f.epss.percentile * 100)})`;
  return [f.severity, name!, installed!, fixed!, id!, kev, epss, path!];
}

/** What `suppressedBy.kind` says of a Go finding that cannot be in its binary. */
const NOT_APPLICABLE = 'not-applicable';

/**
 * The id, and for a Go finding in a binary what its function table says: an affected function
 * (or wholly affected package) is in it, or none is (less likely reachable, still reported).
 */
function idOf(f: Finding): string {
  const symbols = f.applicability?.symbols;
  if (symbols === 'present') return `${f.id} (affected code in binary)`;
  if (symbols === 'absent') return `${f.id} (affected functions not in binary)`;
  return f.id;
}

function grid(columns: readonly string[], rows: readonly string[][]): string[] {
  const all = [[...columns], ...rows];
  const widths = columns.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all.map(
    (r) =>
      `  ${r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd()}`,
  );
}
