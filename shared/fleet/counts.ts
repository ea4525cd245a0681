import type { SeverityCounts } from '../pipeline';

/** The severities of `SeverityCounts`, worst first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'unknown'] as const;

/**
 * Per severity, the most any of `counts` has: an image's numbers from its platforms', which
 * mostly share their findings (a sum would count one CVE once per platform).
 */
export function maxCounts(counts: readonly SeverityCounts[]): SeverityCounts {
  return Object.fromEntries(
    SEVERITIES.map((s) => [s, Math.max(0, ...counts.map((c) => c[s]))]),
  ) as unknown as SeverityCounts;
}
