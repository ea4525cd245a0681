import type { PriorityLookup, PrioritySource } from './types';

/** What {@link withPriority} reads of a finding. */
export interface PrioritySubject {
  readonly id: string;
  readonly aliases: readonly string[];
}

/**
 * Each finding with `kev` and `epss` set from `lookup`, by its id or any alias that is a CVE
 * (the first CVE listed wins; a KEV entry on any of them counts): the entry, or null when the
 * source does not list any of its CVEs. A source the lookup has no data of (null) leaves the
 * field absent, so "not listed" and "not known" stay apart.
 */
export function withPriority<F extends PrioritySubject>(
  findings: readonly F[],
  lookup: PriorityLookup,
): F[] {
  if (lookup.kev === null && lookup.epss === null) return [...findings];
  return findings.map((finding) => {
    const cves = cveIdsOf(finding);
    const { kev, epss } = lookup;
    return {
      ...finding,
      ...(kev !== null && { kev: firstListed(cves, kev) }),
      ...(epss !== null && { epss: firstListed(cves, epss) }),
    };
  });
}

/**
 * {@link withPriority} with the lookup asked of `store` for the findings' CVEs, in one request;
 * a store that holds no priority data (or cannot: no `priorityFor`) leaves findings as they are.
 */
export async function prioritize<F extends PrioritySubject>(
  findings: readonly F[],
  store: Partial<PrioritySource>,
): Promise<F[]> {
  if (store.priorityFor === undefined || findings.length === 0) return [...findings];
  const cves = [...new Set(findings.flatMap(cveIdsOf))].sort();
  return withPriority(findings, await store.priorityFor(cves));
}

/** The finding's CVE ids: its id when it is one, then its aliases that are. */
export function cveIdsOf(finding: PrioritySubject): string[] {
  return [finding.id, ...finding.aliases].filter((id) => id.startsWith('CVE-'));
}

function firstListed<T>(cves: readonly string[], listed: ReadonlyMap<string, T>): T | null {
  for (const cve of cves) {
    const found = listed.get(cve);
    if (found !== undefined) return found;
  }
  return null;
}
