import { gzipSync } from 'node:zlib';
import { compareSeverity } from '../osv';
import { comparePriority, isKev } from '../priority';
import type { ResultKind, SarifEntry, SarifNotification } from './sarif-log';

/**
 * What GitHub code scanning accepts of one upload ("SARIF support for code scanning", "SARIF
 * results exceed limit", "SARIF file is too large"): 25,000 results per run (of which it shows
 * the 5,000 most severe) and rules per run, 20 runs per file, 1,000 locations per result, 20
 * tags per rule, and a file of at most 10 MB gzip-compressed. Clearance writes one run, one
 * location per result, at most 10 tags per rule, and at most as many rules as results, so the
 * results and the size are what a large image can exceed.
 */
export interface SarifLimits {
  /** Results per run. */
  readonly maxResults: number;
  /** Bytes of the log gzip-compressed, as upload-sarif and the API send it. */
  readonly maxGzipBytes: number;
}

export const GITHUB_LIMITS: SarifLimits = {
  maxResults: 25_000,
  // 10 MB is GitHub's limit; the API takes the gzip base64-encoded (a third larger), so the
  // compressed log is held to 7.5 MB and either way of uploading fits.
  maxGzipBytes: 7_500_000,
};

/**
 * The order results are kept in when a run must be capped, and written in: unsuppressed before
 * suppressed (an alert before one dismissed already), vulnerabilities in CISA's KEV catalog
 * first (being exploited now), then by severity, CRITICAL first, then as `comparePriority` ranks
 * them (EPSS score, id). Severity comes before EPSS here, unlike in the table: nearly every CVE
 * has an EPSS score and no secret or check has one, so EPSS first would drop a CRITICAL secret
 * before a LOW vulnerability; and code scanning itself keeps the most severe. Equal results keep
 * the report's order (the sort is stable): the same report is capped the same way.
 */
export function byPriority(entries: readonly SarifEntry[]): SarifEntry[] {
  return [...entries].sort(
    (a, b) =>
      Number(a.suppressed) - Number(b.suppressed) ||
      Number(isKev(b.priority)) - Number(isKev(a.priority)) ||
      compareSeverity(a.severity, b.severity) ||
      comparePriority(a.priority, b.priority),
  );
}

/**
 * The most results, in priority order, whose log (`render`) stays within the limits: first the
 * count, then, when the compressed log is still too large, the longest prefix that fits (a
 * binary search: the log grows with every result).
 */
export function capped(
  ordered: readonly SarifEntry[],
  limits: SarifLimits,
  render: (kept: readonly SarifEntry[]) => string,
): readonly SarifEntry[] {
  const first = ordered.slice(0, limits.maxResults);
  const fits = (n: number) => {
    const log = render(first.slice(0, n));
    // Compression never grows a log this size, so a short one needs no compressing.
    return (
      Buffer.byteLength(log) <= limits.maxGzipBytes ||
      gzipSync(log).byteLength <= limits.maxGzipBytes
    );
  };
  if (fits(first.length)) return first;
  let low = 0;
  let high = first.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return first.slice(0, low);
}

const KIND_NAMES: Readonly<Record<ResultKind, string>> = {
  vulnerability: 'vulnerabilities',
  secret: 'secrets',
  'sensitive-file': 'sensitive files',
  check: 'failed checks',
};

/**
 * The notification that says what a capped run left out: how many of each kind and the most
 * severe left out, so that nobody reads a capped upload as the whole scan.
 */
export function omittedNotification(
  omitted: readonly SarifEntry[],
  limits: SarifLimits,
): SarifNotification[] {
  if (omitted.length === 0) return [];
  const counts = new Map<ResultKind, number>();
  for (const e of omitted) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  const parts = [...counts].map(([kind, n]) => `${n} ${KIND_NAMES[kind]}`);
  const worst = omitted.map((e) => e.severity).sort(compareSeverity)[0]!;
  return [
    {
      level: 'warning',
      descriptor: { id: 'clearance/sarif/results-omitted' },
      message: {
        text: `${omitted.length} results left out to stay within GitHub code scanning's limits (${limits.maxResults} results per run, ${limits.maxGzipBytes} bytes gzip-compressed): ${parts.join(', ')}; the most severe left out is ${worst}. The JSON report (--format json) holds every finding.`,
      },
      properties: { omitted: omitted.length, byKind: Object.fromEntries(counts), worst },
    },
  ];
}
