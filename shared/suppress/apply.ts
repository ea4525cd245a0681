import type { Finding } from '../match';
import type { IgnoreEntry } from './ignore-file';
import { purlMatches } from './purl-match';
import type { VexStatement } from './vex';

export interface Suppressions {
  readonly vex: readonly VexStatement[];
  readonly ignores: readonly IgnoreEntry[];
}

export interface Suppressed {
  /** Every finding, the suppressed ones marked with what suppressed them. */
  readonly findings: readonly Finding[];
  /** Ignore entries past their expiry: they suppress nothing and are reported. */
  readonly expiredIgnores: readonly IgnoreEntry[];
}

/**
 * Marks findings that a VEX statement (`not_affected` or `fixed`, the latest statement for the
 * vulnerability and package winning) or a live ignore entry suppresses. Suppressed findings
 * stay in the report; gates and the table leave them out.
 */
export function applySuppressions(
  findings: readonly Finding[],
  suppressions: Suppressions,
  today: Date,
): Suppressed {
  const day = today.toISOString().slice(0, 10);
  const expired = (e: IgnoreEntry) => e.expires !== undefined && e.expires < day;
  const live = suppressions.ignores.filter((e) => !expired(e));
  return {
    findings: findings.map((finding) => {
      const suppressedBy = byVex(finding, suppressions.vex) ?? byIgnore(finding, live);
      return suppressedBy === undefined ? finding : { ...finding, suppressedBy };
    }),
    expiredIgnores: suppressions.ignores.filter(expired),
  };
}

function byVex(
  finding: Finding,
  statements: readonly VexStatement[],
): Finding['suppressedBy'] | undefined {
  const ids = new Set([finding.id, ...finding.aliases]);
  const latest = statements
    .filter((s) => s.vulnerabilities.some((v) => ids.has(v)))
    .filter((s) => s.purls.some((p) => purlMatches(p, finding.purl)))
    .sort((a, b) => Date.parse(b.timestamp || '0') - Date.parse(a.timestamp || '0'))[0];
  if (latest === undefined || (latest.status !== 'not_affected' && latest.status !== 'fixed'))
    return undefined;
  const why = latest.justification ?? latest.impactStatement ?? latest.status;
  return { kind: 'vex', reason: `${latest.status}: ${why} (${latest.source})` };
}

function byIgnore(
  finding: Finding,
  entries: readonly IgnoreEntry[],
): Finding['suppressedBy'] | undefined {
  const ids = new Set([finding.id, ...finding.aliases]);
  const entry = entries.find(
    (e) => ids.has(e.id) && (e.purl === undefined || purlPattern(e.purl, finding.purl)),
  );
  if (entry === undefined) return undefined;
  const until = entry.expires === undefined ? '' : `, until ${entry.expires}`;
  return { kind: 'ignore', reason: `${entry.reason} (${entry.owner}${until})` };
}

/** A purl, or a pattern where `*` stands for anything. */
function purlPattern(pattern: string, purl: string): boolean {
  if (!pattern.includes('*')) return purlMatches(pattern, purl);
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`).test(purl);
}
