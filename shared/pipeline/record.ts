import { scanVersions } from './audit-events';
import type { ObjectStore } from '../objects';
import type { AuditLog } from '../audit';
import type { Clock } from '../core';
import type { StoredVerdict, VerdictStore } from './ports';
import { recordEvents } from './record-events';
import { readSummary, writeSummary, type ScanSummary } from './scan-summary';
import { RecordInput, type Decision, type EvaluatedPlatform, type RecordedVerdict } from './states';
import { stepBinding } from './step-binding';

/** What Record works with. */
export interface RecordDeps {
  readonly objects: ObjectStore;
  readonly verdicts: VerdictStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

/** The Record state: every platform's verdict → the image's, recorded, and whether it changed. */
export const RECORD_STEP = stepBinding('Record', RecordInput, recordScan);

/**
 * The Record step: the image's verdict (its worst platform's), compared with the last scan of
 * repository:tag, written as `scans/<scanId>/summary.json`, as the digest's and the tag's latest
 * verdict, and as the audit events `scan.completed` (and `verdict.changed`, `policy.changed`,
 * `exception.used`, `exception.expired`: record-events.ts). Idempotent: the
 * summary is written first and a retry reads it back, so it answers the same even though the
 * verdict store already holds this scan.
 */
export async function recordScan(input: RecordInput, deps: RecordDeps): Promise<RecordedVerdict> {
  const summary = (await readSummary(deps.objects, input.scanId)) ?? (await summarize(input, deps));
  const summaryKey = await writeSummary(deps.objects, summary);
  await deps.verdicts.record(summary.image, storedVerdictOf(summary));
  await deps.audit.append(recordEvents(summary, summaryKey));
  const { decision, changed, reasons, newSevereFindings } = summary;
  const previousDecision = summary.previous?.decision ?? null;
  return { decision, changed, reasons, newSevereFindings, previousDecision, summaryKey };
}

const RANK: Record<Decision, number> = { pass: 0, warn: 1, fail: 2 };

/** The worst of the decisions: fail over warn over pass. */
export function worstDecision(decisions: readonly Decision[]): Decision {
  return decisions.reduce<Decision>((worst, d) => (RANK[d] > RANK[worst] ? d : worst), 'pass');
}

/** The CRITICAL/HIGH finding ids of every platform, once each, sorted. */
export function severeFindingsOf(platforms: readonly EvaluatedPlatform[]): string[] {
  return [...new Set(platforms.flatMap((p) => p.severeFindings))].sort();
}

/** Whether people should hear of a verdict, and why. */
export interface Change {
  readonly changed: boolean;
  readonly reasons: string[];
  readonly newSevereFindings: string[];
}

/** Ids named in a reason before "and N more". */
const IDS_IN_REASON = 3;

/**
 * The change since `previous`: a first scan that does not pass, another decision, or
 * CRITICAL/HIGH ids the previous scan did not have.
 */
export function changeSince(
  previous: Pick<StoredVerdict, 'decision' | 'severeFindings'> | undefined,
  decision: Decision,
  severeFindings: readonly string[],
): Change {
  if (!previous)
    return {
      changed: decision !== 'pass',
      reasons: decision === 'pass' ? [] : [`first scan: ${decision}`],
      newSevereFindings: [...severeFindings],
    };
  const known = new Set(previous.severeFindings);
  const fresh = severeFindings.filter((id) => !known.has(id));
  const reasons = [];
  if (previous.decision !== decision) reasons.push(`verdict ${previous.decision} → ${decision}`);
  if (fresh.length > 0) reasons.push(`${fresh.length} new critical/high (${listed(fresh)})`);
  return { changed: reasons.length > 0, reasons, newSevereFindings: fresh };
}

async function summarize(input: RecordInput, deps: RecordDeps): Promise<ScanSummary> {
  const decision = worstDecision(input.platforms.map((p) => p.decision));
  const severe = severeFindingsOf(input.platforms);
  const { image } = input;
  const previous =
    image.tag === undefined
      ? await deps.verdicts.verdictOf(image.digest)
      : await deps.verdicts.lastVerdictOf(image.repository, image.tag);
  return {
    scanId: input.scanId,
    image,
    trigger: input.trigger,
    startedAt: input.startedAt,
    recordedAt: deps.clock().toISOString(),
    decision,
    ...changeSince(previous, decision, severe),
    previous: previous
      ? {
          scanId: previous.scanId,
          digest: previous.digest,
          decision: previous.decision,
          recordedAt: previous.recordedAt,
          policyDigest: previous.policyDigest,
        }
      : null,
    versions: scanVersions(input.analyzerSet, input.platforms),
    platforms: input.platforms,
  };
}

function storedVerdictOf(summary: ScanSummary): StoredVerdict {
  return {
    digest: summary.image.digest,
    decision: summary.decision,
    scanId: summary.scanId,
    recordedAt: summary.recordedAt,
    severeFindings: severeFindingsOf(summary.platforms),
    policyDigest: summary.versions.policyDigest ?? '',
    dataVersion: summary.versions.dataVersion ?? '',
    analyzerSet: summary.versions.analyzerSet ?? '',
    platforms: summary.platforms.map((p) => ({
      platform: p.platform,
      manifestDigest: p.manifestDigest,
      reportKey: p.keys.report,
    })),
  };
}

function listed(ids: readonly string[]): string {
  const named = ids.slice(0, IDS_IN_REASON).join(', ');
  return ids.length > IDS_IN_REASON ? `${named} and ${ids.length - IDS_IN_REASON} more` : named;
}
