import { imageReference, reportHtmlKey } from '../pipeline';
import type { NotifiedScan, ObjectLink } from './notified-scan';
import type { EvaluatedPlatform, RecordedScan } from '../pipeline';
import { openGapsOf, SEVERITIES, topFindingsOf, union } from '../pipeline';

/* The sections of a verdict notification's body, in the order they appear. */

/** Where the image is, which scan, under which policy and data. */
export function aboutTheScan(scan: NotifiedScan): string[] {
  const policy = scan.platforms[0]!.policy;
  const data = [...new Set(scan.platforms.map((p) => p.dataVersion))].join(', ');
  return [
    `Image:    ${imageReference(scan.image)}`,
    `Scan:     ${scan.scanId}, ${triggerText(scan.trigger)}`,
    `Policy:   ${policy.name} (${policy.digest})`,
    `Data:     vulnerability data ${data}, analysers ${scan.analyzerSet}`,
  ];
}

/** One line per platform: its decision and counts. */
export function platformLines(platforms: readonly EvaluatedPlatform[]): string[] {
  return [
    'Platforms',
    ...platforms.map((p) => {
      const counts = SEVERITIES.map((s) => `${p.counts[s]} ${s}`).join(', ');
      const secrets = p.secrets === 1 ? '1 secret' : `${p.secrets} secrets`;
      return `  ${p.platform}  ${p.decision.toUpperCase()}  ${counts}; ${secrets}; signature ${p.signature}`;
    }),
  ];
}

/** The top findings with their fixes, the failed checks and rules, the count of secrets. */
export function findingLines(platforms: readonly EvaluatedPlatform[]): string[] {
  const top = topFindingsOf(platforms);
  const width = Math.max(0, ...top.map((f) => f.id.length));
  const checks = union(platforms.map((p) => p.failedChecks));
  const rules = union(platforms.map((p) => p.failedRules));
  const warned = union(platforms.map((p) => p.warnedRules ?? []));
  const secrets = Math.max(...platforms.map((p) => p.secrets));
  const failed = [
    ...(checks.length > 0 ? [`Failed checks: ${checks.join(', ')}`] : []),
    ...(rules.length > 0 ? [`Failed policy rules: ${rules.join(', ')}`] : []),
    ...(warned.length > 0
      ? [`Policy warnings (they do not fail the verdict): ${warned.join(', ')}`]
      : []),
    ...(secrets > 0
      ? [`Secrets: ${secrets} found. Their values are never sent; the report says where they are.`]
      : []),
  ];
  return [
    ...(top.length === 0
      ? []
      : [
          '',
          'Top findings',
          ...top.map(
            (f) =>
              `  ${f.severity.toUpperCase().padEnd(8)} ${f.id.padEnd(width)}  ${f.package} ${f.version}, ${f.fixedVersion === null ? 'no fix yet' : `fixed in ${f.fixedVersion}`}${exploitation(f)}`,
          ),
        ]),
    ...(failed.length > 0 ? ['', ...failed] : []),
  ];
}

/** `; in CISA KEV, EPSS 6.2%` when the finding is in KEV or has an EPSS score; else nothing. */
function exploitation(f: { readonly kev?: boolean; readonly epss?: number }): string {
  const parts = [
    ...(f.kev === true ? ['in CISA KEV'] : []),
    ...(f.epss !== undefined ? [`EPSS ${(f.epss * 100).toFixed(1)}%`] : []),
  ];
  return parts.length > 0 ? `; ${parts.join(', ')}` : '';
}

/**
 * What the scan could not check and nobody accepted: the verdict fails on it, whatever else
 * was found, until the image is fixed or the gap accepted by a policy exception.
 */
export function gapLines(platforms: readonly EvaluatedPlatform[]): string[] {
  const gaps = openGapsOf(platforms);
  if (gaps.length === 0) return [];
  return [
    '',
    'Not checked (the verdict fails until this is fixed, or accepted by a policy exception)',
    ...gaps.map((g) => `  ${g.kind} ${g.subject}: ${g.reason}`),
  ];
}

/** New findings listed before the verdict's own, beyond those the reasons name. */
const LISTED_NEW_FINDINGS = 10;

/** The CRITICAL/HIGH ids the last scan of repository:tag did not have (none for a first scan). */
export function newFindingLines(record: RecordedScan['record']): string[] {
  const ids = record.newSevereFindings;
  const first = record.previousDecision === undefined || record.previousDecision === null;
  if (first || ids.length === 0) return [];
  const more = ids.length - LISTED_NEW_FINDINGS;
  return [
    '',
    `New critical/high since the last scan (${ids.length})`,
    `  ${ids.slice(0, LISTED_NEW_FINDINGS).join(', ')}${more > 0 ? ` and ${more} more` : ''}`,
  ];
}

/** The policy exceptions that excepted rules, and those past their expiry (no longer excepting). */
export function exceptionLines(platforms: readonly EvaluatedPlatform[]): string[] {
  const used = new Map<string, string>();
  const expired = new Map<string, string>();
  for (const p of platforms) {
    for (const e of p.exceptionsUsed ?? []) used.set(e.id, `${e.note} [${e.rules.join(', ')}]`);
    for (const e of p.expiredExceptions ?? []) expired.set(e.id, `${e.id}, expired ${e.expires}`);
  }
  const sorted = (m: Map<string, string>) =>
    [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
  return [
    ...(used.size > 0
      ? ['', 'Policy exceptions applied', ...sorted(used).map(([, line]) => `  ${line}`)]
      : []),
    ...(expired.size > 0
      ? [
          '',
          'Policy exceptions past their expiry (they no longer apply: renew or remove them)',
          ...sorted(expired).map(([, line]) => `  ${line}`),
        ]
      : []),
  ];
}

/** What Quarantine or Promote did. */
export function actionLines(scan: NotifiedScan): string[] {
  const lines = [];
  if (scan.quarantine)
    lines.push(
      scan.quarantine.tag === undefined
        ? 'Quarantined: recorded as blocked.'
        : `Quarantined: recorded as blocked and tagged ${scan.image.repository}:${scan.quarantine.tag}.`,
    );
  if (scan.promotion)
    lines.push(
      scan.promotion.promoted
        ? `Promoted to ${scan.promotion.repository}:${scan.promotion.tag ?? ''}.`
        : `Not promoted: ${scan.promotion.reason ?? 'no reason given'}.`,
    );
  return lines.length > 0 ? ['', ...lines] : [];
}

/** Where the summary, the reports and the SBOMs are. */
export function reportLines(scan: NotifiedScan, link: ObjectLink): string[] {
  return [
    'Reports',
    `  Summary: ${link(scan.record.summaryKey)}`,
    ...scan.platforms.flatMap((p) => [
      `  ${p.platform} report: ${link(p.keys.report)}`,
      `  ${p.platform} report to read (HTML): ${link(reportHtmlKey(p.keys.report))}`,
      `  ${p.platform} SBOM (CycloneDX): ${link(p.keys.cyclonedx)}`,
      `  ${p.platform} SBOM (SPDX): ${link(p.keys.spdx)}`,
    ]),
  ];
}

/** `push <id> by <actor> at <time>`. */
export function triggerText(trigger: RecordedScan['trigger']): string {
  return `${trigger.type} ${trigger.id} by ${trigger.actor} at ${trigger.time}`;
}
