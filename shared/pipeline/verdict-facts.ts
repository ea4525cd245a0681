import type { EvaluatedPlatform, GapBrief, SeverityCounts, TopFinding } from './states';

/*
 * What a verdict notification says of an image's platforms in a few words: the worst counts,
 * the highest severity, the top findings of all platforms together.
 */

/** Severities, worst first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'unknown'] as const;

/** The worst of a verdict in a few words: `2 critical, 1 high, secret found, 3 rules failed`. */
export function verdictHeadline(platforms: readonly EvaluatedPlatform[]): string {
  return headlineParts(platforms).join(', ');
}

/** The highest severity with a finding on any platform, or `none`. */
export function maxSeverity(
  platforms: readonly EvaluatedPlatform[],
): (typeof SEVERITIES)[number] | 'none' {
  const counts = worstCounts(platforms);
  return SEVERITIES.find((s) => counts[s] > 0) ?? 'none';
}

/** Per severity, the most any platform has (platforms of one image share most findings). */
export function worstCounts(platforms: readonly EvaluatedPlatform[]): SeverityCounts {
  const counts = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
  for (const p of platforms)
    for (const s of SEVERITIES) counts[s] = Math.max(counts[s], p.counts[s]);
  return counts;
}

/** The top findings of every platform, once each, in priority order: KEV, EPSS, severity. */
export function topFindingsOf(platforms: readonly EvaluatedPlatform[], max = 10): TopFinding[] {
  const seen = new Map<string, TopFinding>();
  for (const f of platforms.flatMap((p) => p.topFindings))
    seen.set(`${f.id} ${f.package} ${f.version}`, f);
  return [...seen.values()]
    .sort(
      (a, b) =>
        // KEV first, then EPSS highest first (no-ops without such data), then severity.
        Number(b.kev === true) - Number(a.kev === true) ||
        (b.epss ?? 0) - (a.epss ?? 0) ||
        severityRank(a) - severityRank(b) ||
        a.id.localeCompare(b.id) ||
        a.package.localeCompare(b.package),
    )
    .slice(0, max);
}

/** Known severities in order; anything else after them. */
function severityRank(finding: TopFinding): number {
  const rank = (SEVERITIES as readonly string[]).indexOf(finding.severity.toLowerCase());
  return rank === -1 ? SEVERITIES.length : rank;
}

export function headlineParts(platforms: readonly EvaluatedPlatform[]): string[] {
  const counts = worstCounts(platforms);
  const secrets = Math.max(...platforms.map((p) => p.secrets));
  const rules = union(platforms.map((p) => p.failedRules)).length;
  const warned = union(platforms.map((p) => p.warnedRules ?? [])).length;
  const checks = union(platforms.map((p) => p.failedChecks)).length;
  const kev = Math.max(0, ...platforms.map((p) => p.kev ?? 0));
  const parts = [
    ...incompleteParts(platforms),
    ...(counts.critical > 0 ? [`${counts.critical} critical`] : []),
    ...(counts.high > 0 ? [`${counts.high} high`] : []),
    ...(kev > 0 ? [`${kev} in CISA KEV`] : []),
    ...(secrets === 1 ? ['secret found'] : secrets > 1 ? [`${secrets} secrets found`] : []),
    ...(platforms.some((p) => p.signature === 'invalid') ? ['invalid signature'] : []),
    ...(rules > 0 ? [`${rules} ${rules === 1 ? 'rule' : 'rules'} failed`] : []),
    ...(checks > 0 ? [`${checks} ${checks === 1 ? 'check' : 'checks'} failed`] : []),
    ...(warned > 0 ? [`${warned} ${warned === 1 ? 'warning' : 'warnings'}`] : []),
  ];
  return parts.length > 0 ? parts : ['no critical or high findings'];
}

/** The strings of every list, once each, sorted. */
export function union(lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())].sort();
}

/** The gaps nobody accepted on any platform, each kind and subject once. */
export function openGapsOf(platforms: readonly EvaluatedPlatform[]): GapBrief[] {
  const gaps = new Map<string, GapBrief>();
  for (const gap of platforms.flatMap((p) => p.gaps ?? []))
    gaps.set(`${gap.kind}\0${gap.subject}`, gap);
  return [...gaps.values()];
}

/** `incomplete (2 gaps not checked)` when a platform left a gap nobody accepted. */
function incompleteParts(platforms: readonly EvaluatedPlatform[]): string[] {
  if (!platforms.some((p) => p.coverage === 'incomplete')) return [];
  const gaps = openGapsOf(platforms).length;
  return gaps === 0
    ? ['incomplete']
    : [`incomplete (${gaps} ${gaps === 1 ? 'gap' : 'gaps'} not checked)`];
}
