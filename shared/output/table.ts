import type { Finding } from '../match/finding';
import { SEVERITIES } from '../osv/severity';
import type { ScanReport } from '../scan/report';

const COLUMNS = ['PACKAGE', 'INSTALLED', 'FIXED', 'VULNERABILITY', 'PATH'] as const;

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
  ];
  if (report.vulnerabilities === undefined) {
    lines.push('  vulnerabilities not checked: no vulnerability data (run "clearance db update")');
    return `${lines.join('\n')}\n`;
  }
  const open = report.vulnerabilities.filter((f) => f.suppressedBy === null);
  const counts = SEVERITIES.map((s) => `${open.filter((f) => f.severity === s).length} ${s}`);
  lines.push(`  ${open.length} vulnerabilities: ${counts.join(', ')}`);
  for (const severity of SEVERITIES) {
    const group = open.filter((f) => f.severity === severity);
    if (group.length > 0) lines.push('', `${severity} (${group.length})`, ...grid(group.map(row)));
  }
  const suppressed = report.vulnerabilities.length - open.length;
  const notes = [
    suppressed > 0 ? `${suppressed} suppressed (VEX or ignore file)` : '',
    report.expiredIgnores?.length ? `${report.expiredIgnores.length} ignore entries expired` : '',
    report.vulnerabilityProblems?.length
      ? `${report.vulnerabilityProblems.length} packages could not be checked (see --format json)`
      : '',
  ].filter((n) => n !== '');
  if (notes.length > 0) lines.push('', `  ${notes.join('; ')}`);
  return `${lines.join('\n')}\n`;
}

function row(f: Finding): string[] {
  return [f.package, f.installedVersion, f.fixedVersion ?? `(${f.status})`, f.id, f.path];
}

function grid(rows: readonly string[][]): string[] {
  const all = [[...COLUMNS], ...rows];
  const widths = COLUMNS.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all.map(
    (r) =>
      `  ${r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd()}`,
  );
}
