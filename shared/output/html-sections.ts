import { describeGap } from '../coverage';
import type { Finding } from '../match';
import { SEVERITIES } from '../osv';
import { comparePriority } from '../priority';
import type { ScanReport } from '../scan';
import { badge, escapeHtml, htmlSection, htmlTable, note } from './html';

/** Findings listed on the page per platform; the JSON report has them all. */
export const HTML_MAX_FINDINGS = 500;

/**
 * The open findings in the order a person should fix them (KEV first, then EPSS, then severity:
 * `comparePriority`), with their fixes; suppressed ones counted.
 */
export function vulnerabilitySection(report: ScanReport): string {
  if (report.vulnerabilities === undefined)
    return htmlSection(
      'Vulnerabilities',
      note('Not checked: the scan had no vulnerability data (clearance db update).'),
    );
  const open = report.vulnerabilities.filter((f) => f.suppressedBy === null);
  const ranked = [...open].sort(comparePriority);
  const suppressed = report.vulnerabilities.length - open.length;
  const rows = ranked.slice(0, HTML_MAX_FINDINGS).map(findingRow);
  return htmlSection(
    `Vulnerabilities (${open.length})`,
    [
      open.length === 0 ? note('No open finding.') : htmlTable(FINDING_COLUMNS, rows),
      open.length > HTML_MAX_FINDINGS
        ? note(`${open.length - HTML_MAX_FINDINGS} more in the JSON report.`)
        : '',
      suppressed > 0
        ? note(`${suppressed} suppressed (VEX, ignore file, or not applicable to the binary).`)
        : '',
    ].join('\n'),
  );
}

const FINDING_COLUMNS = [
  'Severity',
  'Vulnerability',
  'Exploited',
  'Package',
  'Installed',
  'Fixed in',
  'Where',
];

function findingRow(f: Finding): string[] {
  const aliases = f.aliases.filter((a) => a !== f.id);
  return [
    badge(f.severity, f.severity) + (f.cvss ? ` <span class="meta">${f.cvss.score}</span>` : ''),
    `<code>${escapeHtml(f.id)}</code>${aliases.length > 0 ? `<br><span class="meta">${escapeHtml(aliases.join(', '))}</span>` : ''}${f.summary ? `<br>${escapeHtml(f.summary)}` : ''}`,
    exploitedCell(f),
    `<code>${escapeHtml(f.package)}</code>`,
    `<code>${escapeHtml(f.installedVersion)}</code>`,
    f.fixedVersion === null
      ? `<span class="meta">${escapeHtml(f.status)}</span>`
      : `<code>${escapeHtml(f.fixedVersion)}</code>`,
    `<code>${escapeHtml(f.path)}</code>`,
  ];
}

/** KEV (with its due date) and the EPSS score; what the scan had no data for says so. */
function exploitedCell(f: Finding): string {
  const kev = f.kev
    ? `<span class="kev">KEV</span> since ${escapeHtml(f.kev.dateAdded)}, due ${escapeHtml(f.kev.dueDate)}${f.kev.knownRansomwareCampaignUse === 'Known' ? ', ransomware' : ''}`
    : '';
  const epss = f.epss
    ? `EPSS ${(f.epss.score * 100).toFixed(1)}% (p${Math.round(f.epss.percentile * 100)})`
    : '';
  const parts = [kev, epss].filter((p) => p !== '');
  if (parts.length > 0) return parts.join('<br>');
  return f.kev === undefined && f.epss === undefined ? '<span class="meta">no data</span>' : '–';
}

/** Secrets as the report holds them: redacted matches only, with where they are. */
export function secretSection(report: ScanReport): string {
  if (report.secrets === undefined) return htmlSection('Secrets', note('Not searched.'));
  const secrets = bySeverity(report.secrets);
  const files = bySeverity(report.sensitiveFiles ?? []);
  const rows = secrets.map((s) => [
    badge(s.severity, s.severity),
    `${escapeHtml(s.title)}<br><span class="meta">${escapeHtml(s.rule)}</span>`,
    `<code>${escapeHtml(`${s.path}:${s.line}`)}</code>${layerNote(s.layer, s.removedInLayer)}`,
    `<code>${escapeHtml(s.match)}</code>`,
  ]);
  const fileRows = files.map((f) => [
    badge(f.severity, f.severity),
    escapeHtml(f.rule),
    `<code>${escapeHtml(f.path)}</code>${layerNote(f.layer, f.removedInLayer)}`,
  ]);
  return htmlSection(
    `Secrets (${secrets.length})`,
    [
      secrets.length === 0
        ? note('No secret found.')
        : htmlTable(['Severity', 'Rule', 'Where', 'Match (redacted)'], rows),
      files.length === 0
        ? ''
        : `<h3>Sensitive files (${files.length})</h3>${htmlTable(['Severity', 'Rule', 'Path'], fileRows)}`,
    ].join('\n'),
  );
}

function layerNote(layer: string | null, removedIn: string | null): string {
  const where = layer === null ? 'image config' : `layer ${layer.slice(0, 19)}…`;
  const removed = removedIn === null ? '' : ', deleted later but still in the layer';
  return `<br><span class="meta">${escapeHtml(where + removed)}</span>`;
}

/** The checks that failed or erred, with their evidence and what to do. */
export function checkSection(report: ScanReport): string {
  if (report.checks === undefined) return htmlSection('Image checks', note('Not run.'));
  const failed = bySeverity(
    report.checks.filter((c) => c.status === 'fail' || c.status === 'error'),
  );
  const passed = report.checks.filter((c) => c.status === 'pass').length;
  const rows = failed.map((c) => [
    c.status === 'error' ? badge('ERROR', 'error') : badge(c.severity, c.severity),
    `<code>${escapeHtml(c.id)}</code><br>${escapeHtml(c.title)}${c.cis ? `<br><span class="meta">CIS ${escapeHtml(c.cis)}</span>` : ''}`,
    c.evidence.map((e) => `<code>${escapeHtml(e)}</code>`).join('<br>'),
    escapeHtml(c.remediation),
  ]);
  return htmlSection(
    `Failed checks (${failed.length})`,
    [
      note(
        `${failed.length} failed, ${passed} passed, ${report.checks.length - failed.length - passed} informational or not applicable.`,
      ),
      failed.length === 0 ? '' : htmlTable(['Severity', 'Check', 'Evidence', 'Remediation'], rows),
    ].join('\n'),
  );
}

/** What the scan could not check, and who accepted it. */
export function gapSection(report: ScanReport): string {
  const coverage = report.coverage;
  if (coverage === undefined) return htmlSection('Coverage gaps', note('Coverage unknown.'));
  if (coverage.gaps.length === 0 && coverage.omitted === 0)
    return htmlSection('Coverage gaps', note('None: the scan checked everything it looked for.'));
  const rows = coverage.gaps.map((g) => [
    g.acceptedBy === null ? badge('open', 'fail') : badge('accepted', 'pass'),
    escapeHtml(describeGap(g)),
    escapeHtml(g.affects),
    g.acceptedBy === null ? '' : escapeHtml(g.acceptedBy),
  ]);
  return htmlSection(
    `Coverage gaps (${coverage.gaps.length + coverage.omitted})`,
    [
      htmlTable(['Status', 'Gap', 'Unchecked', 'Accepted by'], rows),
      coverage.omitted > 0 ? note(`${coverage.omitted} more gaps, not listed.`) : '',
    ].join('\n'),
  );
}

/** Packages counted by ecosystem and by layer, then every package in a closed list. */
export function packageSection(report: ScanReport): string {
  const byType = countBy(report.packages, (p) => p.type);
  const byLayer = countBy(report.packages, (p) => p.layer);
  const list = report.packages.map((p) => [
    `<code>${escapeHtml(p.name)}</code>`,
    `<code>${escapeHtml(p.version)}</code>`,
    escapeHtml(p.type),
    `<code>${escapeHtml(p.path)}</code>`,
  ]);
  return htmlSection(
    `Packages (${report.packages.length})`,
    [
      '<h3>By ecosystem</h3>',
      htmlTable(
        ['Ecosystem', 'Packages'],
        byType.map(([t, n]) => [escapeHtml(t), String(n)]),
      ),
      '<h3>By layer</h3>',
      htmlTable(
        ['Layer', 'Packages'],
        byLayer.map(([l, n]) => [`<code>${escapeHtml(l)}</code>`, String(n)]),
      ),
      `<details><summary>Every package</summary>${htmlTable(['Name', 'Version', 'Type', 'Found in'], list)}</details>`,
    ].join('\n'),
  );
}

function countBy<T>(items: readonly T[], key: (item: T) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

function bySeverity<T extends { readonly severity: string }>(items: readonly T[]): T[] {
  const rank = (s: string) => (SEVERITIES as readonly string[]).indexOf(s);
  return [...items].sort((a, b) => rank(a.severity) - rank(b.severity));
}
