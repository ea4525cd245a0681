import type { Detection } from '../match';
import { SEVERITIES } from '../osv';
import { inReportOrder, vulnerabilityReport, withoutVulnerabilities } from '../scan';
import type { ScanReport } from '../scan';
import type { VulnerabilityStore } from '../vulndb';
import { PipelineError } from './errors';
import type { ObjectStore } from '../objects';
import type { Clock } from '../core';
import { readReport, writeJson } from './scan-keys';
import { MatchInput, type MatchedPlatform, type SeverityCounts } from './states';
import { stepBinding } from './step-binding';

/** What matching a report needs: the vulnerability data, and today for expiring suppressions. */
export interface MatchingDeps {
  readonly vulnerabilities: VulnerabilityStore;
  readonly clock: Clock;
  /**
   * Whether OS-owned language packages are judged by their distro only, as `scan --detection`.
   * @default 'precise'
   */
  readonly detection?: Detection;
}

/** What Match uses. */
export interface MatchDeps extends MatchingDeps {
  readonly store: ObjectStore;
}

/** The Match state: a platform's report gains its vulnerabilities; counts and data version out. */
export const MATCH_STEP = stepBinding('Match', MatchInput, matchPlatform);

/**
 * The Match step: the inventory in `report.json` against the vulnerability store, as the CLI
 * matches (no suppressions yet), written back with its findings and the data's version.
 */
export async function matchPlatform(input: MatchInput, deps: MatchDeps): Promise<MatchedPlatform> {
  const key = input.assembled.keys.report;
  const report = await matchReport(await readReport(deps.store, key), deps);
  await writeJson(deps.store, key, report);
  return { ...input.assembled, ...matchSummary(report) };
}

/**
 * The report matched with the store's current data: its vulnerability part replaced. An empty
 * store is refused (`NO_VULNERABILITY_DATA`, input): "no findings" from no data would pass every
 * image, so the scan fails, and its failure is recorded and notified, until data is synced.
 */
export async function matchReport(report: ScanReport, deps: MatchingDeps): Promise<ScanReport> {
  if ((await deps.vulnerabilities.dataVersion()).records === 0)
    throw new PipelineError(
      'NO_VULNERABILITY_DATA',
      'the vulnerability store is empty: run SyncVulnerabilityData (or, locally, clearance db update or import)',
      'input',
    );
  const base = withoutVulnerabilities(report);
  const found = await vulnerabilityReport(
    base,
    { store: deps.vulnerabilities, ...(deps.detection && { detection: deps.detection }) },
    deps.clock(),
  );
  return inReportOrder({ ...base, ...found });
}

/** The data version and the counts of unsuppressed findings per severity of a matched report. */
export function matchSummary(report: ScanReport): Pick<MatchedPlatform, 'dataVersion' | 'counts'> {
  if (report.vulnerabilities === undefined || report.database === undefined)
    throw new PipelineError(
      'MISSING_OBJECT',
      `the report of ${report.image.manifestDigest} has not been matched`,
    );
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s.toLowerCase(), 0])) as Record<
    keyof SeverityCounts,
    number
  >;
  for (const finding of report.vulnerabilities)
    if (finding.suppressedBy === null)
      counts[finding.severity.toLowerCase() as keyof SeverityCounts] += 1;
  return { dataVersion: report.database.version, counts };
}
