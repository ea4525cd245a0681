import type { OsvRecord } from '../osv/record';
import type { VulnerabilityStore } from '../vulndb/store';
import type { Finding } from './finding';
import { advisorySeverity, type SeverityAssessment } from './severity';

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
  const byAlias = await store.recordsByAlias(cves);
  return findings.map((finding) => {
    if (finding.severity !== 'UNKNOWN') return finding;
    const records = cveIds(finding).flatMap((cve) => byAlias.get(cve) ?? []);
    const borrowed = firstSeverity(records.filter((r) => r.id !== finding.id));
    if (borrowed === undefined) return finding;
    return {
      ...finding,
      severity: borrowed.assessment.severity,
      cvss: borrowed.assessment.cvss ?? null,
      severitySource: `${borrowed.assessment.vendor} (${borrowed.id})`,
    };
  });
}

function cveIds(finding: Finding): string[] {
  return [finding.id, ...finding.aliases].filter((id) => id.startsWith('CVE-'));
}

function firstSeverity(
  records: readonly OsvRecord[],
): { id: string; assessment: SeverityAssessment } | undefined {
  for (const record of records) {
    const entries = record.affected.length > 0 ? record.affected : [undefined];
    for (const entry of entries) {
      const assessment = advisorySeverity(record, entry ?? EMPTY_ENTRY);
      if (assessment !== undefined) return { id: record.id, assessment };
    }
  }
  return undefined;
}

const EMPTY_ENTRY = { ecosystem: '', name: '', severity: [], ranges: [], versions: [] };
