import type { VulnerabilityStore } from '../vulndb';
import type { Finding } from './finding';

/**
 * Findings whose advisory gives no severity take one from another record of the same CVE in
 * the data (a Debian tracker record borrows the GHSA's CVSS vector, say); the rest stay
 * UNKNOWN. One store lookup for all of them.
 */
export async function withAliasSeverities(
  findings: readonly Finding[],
  store: VulnerabilityStore,
): Promise<Finding[]> {
  const unknown = findings.filter((f) => f.severity === 'UNKNOWN');
  const cves = unknown.flatMap((f) => cveIds(f));
  if (cves.length === 0) return [...findings];
  const byAlias = await store.severitiesByAlias(cves);
  return findings.map((finding) => {
    if (finding.severity !== 'UNKNOWN') return finding;
    const borrowed = cveIds(finding)
      .flatMap((cve) => byAlias.get(cve) ?? [])
      .find((s) => s.id !== finding.id);
    if (borrowed === undefined) return finding;
    return {
      ...finding,
      severity: borrowed.severity.severity,
      cvss: borrowed.severity.cvss ?? null,
      severitySource: `${borrowed.severity.vendor} (${borrowed.id})`,
    };
  });
}

function cveIds(finding: Finding): string[] {
  return [finding.id, ...finding.aliases].filter((id) => id.startsWith('CVE-'));
}
