import type { ScanReport } from '../scan';
import { evaluatedOf, judgeReport, type JudgingDeps } from './evaluate';
import { matchReport, matchSummary, type MatchingDeps } from './match';
import type { ObjectStore } from '../objects';
import { readReport, siblingKeys, writeJson } from './scan-keys';
import type { EvaluatedPlatform } from './states';

/** What re-matching a stored report uses: no image access at all. */
export interface RematchDeps extends MatchingDeps, JudgingDeps {
  readonly store: ObjectStore;
}

export interface RematchOptions {
  /**
   * Where to write the re-matched and re-judged report.
   * @default - not written: the scan's own report stays as the scan left it
   */
  readonly writeTo?: string;
}

/** A stored report matched again with current data and judged again under the current policy. */
export interface Rematched {
  readonly report: ScanReport;
  /** As Evaluate gives it; `keys.report` is `writeTo` when written, else the key read. */
  readonly evaluated: EvaluatedPlatform;
}

/**
 * The fleet's re-check of a known digest: the final `report.json` a scan left at `reportKey`,
 * its vulnerabilities matched again against the store's current data and its verdict given
 * again by `deps.policy` (the inventory, secrets, checks and signature kept as scanned). Reads
 * no image. Undefined when there is no report at `reportKey` (expired, never written): the
 * image needs a full scan.
 */
export async function rematchReport(
  reportKey: string,
  deps: RematchDeps,
  options: RematchOptions = {},
): Promise<Rematched | undefined> {
  if ((await deps.store.get(reportKey)) === undefined) return undefined;
  const stored = await readReport(deps.store, reportKey);
  const report = judgeReport(await matchReport(stored, deps), deps);
  if (options.writeTo !== undefined) await writeJson(deps.store, options.writeTo, report);
  const keys = { ...siblingKeys(reportKey), report: options.writeTo ?? reportKey };
  const matched = {
    platform: report.image.platform,
    manifestDigest: report.image.manifestDigest,
    keys,
    packages: report.packages.length,
    ...matchSummary(report),
  };
  return { report, evaluated: evaluatedOf(matched, report) };
}
