import { coverageStatus } from '../coverage';
import { SEVERITIES } from '../osv';
import type { Verdict } from '../policy';
import type { ScanReport } from '../scan';
import {
  checkSection,
  gapSection,
  packageSection,
  secretSection,
  vulnerabilitySection,
} from './html-sections';
import { COLORS, badge, barChart, escapeHtml, htmlPage, htmlSection, note } from './html';

/**
 * `clearance scan --format html`, and the pipeline's `report.html`: one self-contained page per
 * scan (every platform of a multi-platform image on it), for a person to open. Per platform:
 * the verdict and why, a severity chart, the findings ranked KEV first then EPSS then severity
 * (with their fixes), the secrets (redacted, as the report holds them), the failed checks with
 * their remediation, the coverage gaps, and the packages by ecosystem and by layer.
 */
export function scanHtml(reports: readonly ScanReport[]): string {
  const first = reports[0];
  const reference = first?.image.reference ?? 'no image';
  const nav =
    reports.length > 1
      ? `<p class="meta">Platforms: ${reports.map((r, i) => `<a href="#p${i}">${escapeHtml(r.image.platform)}</a>`).join(' · ')}</p>`
      : '';
  const body = [
    `<h1>Clearance report: <code>${escapeHtml(reference)}</code></h1>`,
    first === undefined ? note('The scan produced no platform report.') : '',
    first === undefined
      ? ''
      : `<p class="meta">Digest <code>${escapeHtml(first.image.digest)}</code></p>`,
    nav,
    ...reports.map(platformHtml),
    '<footer class="meta"><p>Written by Clearance. This page loads nothing: it is the whole report.</p></footer>',
  ];
  return htmlPage(`Clearance: ${reference}`, body.join('\n'));
}

function platformHtml(report: ScanReport, index: number): string {
  const os = report.os
    ? `${report.os.prettyName ?? `${report.os.id} ${report.os.versionId ?? ''}`}${report.os.eol ? ' (END OF LIFE)' : ''}`
    : 'unknown OS';
  return [
    `<article id="p${index}">`,
    `<h2>${escapeHtml(report.image.platform)}: ${escapeHtml(os)}, ${report.packages.length} packages</h2>`,
    `<p class="meta">Manifest <code>${escapeHtml(report.image.manifestDigest)}</code></p>`,
    verdictHtml(report),
    severityChart(report),
    vulnerabilitySection(report),
    secretSection(report),
    checkSection(report),
    gapSection(report),
    packageSection(report),
    '</article>',
  ].join('\n');
}

/** The decision in large type, then why: the rules that did not pass, and the coverage. */
function verdictHtml(report: ScanReport): string {
  const { verdict } = report;
  const coverage = report.coverage === undefined ? 'unknown' : coverageStatus(report.coverage);
  if (verdict === undefined)
    return `<div class="verdict"><span class="decision">NOT JUDGED</span><p>No policy was given (<code>--policy</code>): the findings below are not judged. Coverage: ${escapeHtml(coverage)}.</p></div>`;
  return [
    `<div class="verdict ${verdict.decision}">`,
    `<span class="decision">${escapeHtml(verdict.decision.toUpperCase())}</span> under policy <code>${escapeHtml(verdict.policy.name)}</code> <span class="meta">(${escapeHtml(verdict.policy.digest.slice(0, 19))}…)</span>`,
    whyHtml(verdict),
    '</div>',
  ].join('\n');
}

function whyHtml(verdict: Verdict): string {
  const open = verdict.rules.filter((r) => r.outcome === 'fail' || r.outcome === 'error');
  const reasons = [
    ...(verdict.coverage === 'incomplete'
      ? ['<li>Incomplete: the scan left gaps nobody accepted (see Coverage gaps).</li>']
      : []),
    ...open.map(
      (r) =>
        `<li>${badge(r.action, r.action === 'deny' ? 'fail' : 'warn')} <code>${escapeHtml(r.id)}</code>${r.outcome === 'error' ? ' (error)' : ''}: ${escapeHtml(r.message ?? '')}</li>`,
    ),
    ...verdict.expiredExceptions.map(
      (e) =>
        `<li>Exception <code>${escapeHtml(e.id)}</code> expired on ${escapeHtml(e.expires)}.</li>`,
    ),
  ];
  if (reasons.length === 0) return '<p>Every rule passed.</p>';
  return `<ul>${reasons.join('')}</ul>`;
}

/** The open (unsuppressed) findings by severity, as bars. */
function severityChart(report: ScanReport): string {
  if (report.vulnerabilities === undefined) return '';
  const open = report.vulnerabilities.filter((f) => f.suppressedBy === null);
  const bars = SEVERITIES.map((s) => ({
    label: s,
    value: open.filter((f) => f.severity === s).length,
    color: COLORS[s.toLowerCase()]!,
  }));
  return htmlSection(
    'Findings by severity',
    barChart(`Open findings by severity on ${report.image.platform}`, bars),
  );
}
