import { createHash } from 'node:crypto';
import { scanEvent, scanVersions } from '../pipeline';
import type { AuditEvent, AuditLog } from '../audit';
import type { EventPublisher } from '../events';
import { verdictEvent, type NotifiedScan, type ObjectLink } from '../notify';
import type { StoredVerdict, VerdictStore } from '../pipeline';
import { changeSince, severeFindingsOf, worstDecision, type Change } from '../pipeline';
import { rematchReport, type RematchDeps } from '../pipeline';
import { publishReports, type Rematched, type SecurityHubDeps } from '../pipeline';
import type { EvaluatedPlatform, ImageTarget, Trigger } from '../pipeline';
import { maxCounts } from './counts';
import {
  ScanItemInput,
  type FleetItemResult,
  type NeedsScanItem,
  type RematchedItem,
} from './schemas';
import { stepBinding } from '../pipeline';

/** Who starts what the fleet run does, in the audit trail and the scans it starts. */
export const FLEET_ACTOR = 'schedule';
/** Hex digits of the image's hash in the name of the ScanImage execution a fleet item starts. */
const EXECUTION_HASH_HEX = 16;

/**
 * What CheckImage uses: the stored verdicts, the stored reports (`store`), the current
 * vulnerability data and policy. No image opener: a known digest is re-checked from what its
 * scan stored, without reading the image.
 */
export interface ScanItemDeps extends RematchDeps {
  readonly verdicts: VerdictStore;
  /** @default - verdict changes are recorded in the images table only */
  readonly audit?: AuditLog;
  /** @default - no Security Hub: the re-checked findings go nowhere else */
  readonly securityHub?: SecurityHubDeps;
  /**
   * Where a changed verdict's `Clearance Scan Verdict` goes (the account's default bus).
   * @default - no events (`publishEvents: false`)
   */
  readonly events?: EventPublisher;
  /**
   * How the event names the objects it points to.
   * @default - the object key itself
   */
  readonly link?: ObjectLink;
}

/**
 * The CheckImage state (the Distributed Map's processor): a known digest re-matched and
 * re-judged from its stored reports, without opening the image; an unknown one → needsScan.
 */
export const CHECK_IMAGE_STEP = stepBinding('CheckImage', ScanItemInput, checkFleetImage);

/**
 * The CheckImage step of the fleet run. A digest with a stored verdict is re-matched, platform
 * by platform, from the reports its scan stored (`StoredVerdict.platforms[].reportKey`), against
 * the current vulnerability data, and judged again under the current policy; a verdict or a set
 * of CRITICAL/HIGH findings that changed is recorded (and audited as `verdict.changed` when
 * people should hear of it). A digest never scanned, or whose reports are gone, needs a full
 * scan: the result says so, with the ScanImage input and execution name for the map to start.
 */
export async function checkFleetImage(
  input: ScanItemInput,
  deps: ScanItemDeps,
): Promise<FleetItemResult> {
  const stored = await deps.verdicts.verdictOf(input.image.digest);
  if (stored === undefined || stored.platforms.length === 0)
    return needsScan(input, 'never scanned', deps);
  const evaluated: EvaluatedPlatform[] = [];
  const reports: Rematched['report'][] = [];
  for (const platform of stored.platforms) {
    const rematched = await rematchReport(platform.reportKey, deps);
    if (rematched === undefined)
      return needsScan(input, `the stored report ${platform.reportKey} is gone`, deps);
    evaluated.push(rematched.evaluated);
    reports.push(rematched.report);
  }
  const item = withKevFindings(await rematchedItem(input, stored, evaluated, deps), reports);
  // As after a scan's Record: the re-checked findings imported, those gone archived; never fatal.
  if (deps.securityHub === undefined) return item;
  return { ...item, securityHub: await publishReports(input.image, reports, deps.securityHub) };
}

/** The item with the ids of its open findings that CISA's KEV catalog lists (none: unchanged). */
function withKevFindings(
  item: RematchedItem,
  reports: readonly Rematched['report'][],
): RematchedItem {
  const ids = reports.flatMap((r) =>
    (r.vulnerabilities ?? [])
      .filter((f) => f.suppressedBy === null && f.kev !== null && f.kev !== undefined)
      .map((f) => f.id),
  );
  return ids.length === 0 ? item : { ...item, kevFindings: [...new Set(ids)].sort() };
}

async function rematchedItem(
  input: ScanItemInput,
  stored: StoredVerdict,
  evaluated: readonly EvaluatedPlatform[],
  deps: ScanItemDeps,
): Promise<RematchedItem> {
  const decision = worstDecision(evaluated.map((p) => p.decision));
  const severe = severeFindingsOf(evaluated);
  const change = changeSince(stored, decision, severe);
  const versions = scanVersions(stored.analyzerSet, evaluated);
  const differs =
    decision !== stored.decision || severe.join('\n') !== stored.severeFindings.join('\n');
  if (differs) {
    const verdict: StoredVerdict = {
      ...stored,
      decision,
      scanId: fleetExecutionName(input.runId, input.image),
      recordedAt: deps.clock().toISOString(),
      severeFindings: severe,
      policyDigest: versions.policyDigest!,
      dataVersion: versions.dataVersion!,
    };
    // The event before the record: a retry after a failed put still sees the change (and the
    // claim on the event's id keeps a retry after a put from putting it again).
    if (change.changed && deps.events !== undefined)
      await deps.events.publish(
        verdictEvent(rematchedScan(input, stored, evaluated, verdict, change), deps.link),
      );
    await deps.verdicts.record(input.image, verdict);
    if (change.changed && deps.audit !== undefined)
      await deps.audit.append([changedEvent(input, stored, verdict, change, versions)]);
  }
  return {
    image: input.image,
    rematched: true,
    decision,
    previousDecision: stored.decision,
    newSevereFindings: change.newSevereFindings,
    fixedSevereFindings: stored.severeFindings.filter((id) => !severe.includes(id)),
    counts: maxCounts(evaluated.map((p) => p.counts)),
    changed: change.changed,
    dataVersion: versions.dataVersion!,
  };
}

/**
 * The re-check as the scan Notify reads, for its `Clearance Scan Verdict`: the fleet scan id,
 * the re-matched platforms (their report and SBOM keys the stored scan's), and the summary of
 * the scan whose reports were re-matched (the re-check writes none of its own).
 */
function rematchedScan(
  input: ScanItemInput,
  stored: StoredVerdict,
  evaluated: readonly EvaluatedPlatform[],
  verdict: StoredVerdict,
  change: Change,
): NotifiedScan {
  const reportKey = stored.platforms[0]!.reportKey;
  return {
    scanId: verdict.scanId,
    image: input.image,
    trigger: fleetTrigger(input, new Date(verdict.recordedAt)),
    startedAt: input.startedAt ?? verdict.recordedAt,
    analyzerSet: stored.analyzerSet,
    platforms: [...evaluated],
    record: {
      decision: verdict.decision,
      changed: change.changed,
      reasons: change.reasons,
      newSevereFindings: change.newSevereFindings,
      previousDecision: stored.decision,
      summaryKey: reportKey.replace(/\/[^/]+\/[^/]+$/, '/summary.json'),
    },
  };
}

function needsScan(input: ScanItemInput, reason: string, deps: ScanItemDeps): NeedsScanItem {
  return {
    image: input.image,
    needsScan: true,
    reason,
    executionName: fleetExecutionName(input.runId, input.image),
    scanInput: { image: input.image, trigger: fleetTrigger(input, deps.clock()) },
  };
}

/**
 * The name of the ScanImage execution of a fleet item, and the scan id of its re-check: the run
 * and a hash of the image, so that a re-driven item names the same execution and records the
 * same scan once (≤ 80 characters; the same digest in two repositories gets two).
 */
export function fleetExecutionName(runId: string, image: ImageTarget): string {
  const hash = createHash('sha256')
    .update(`${image.registry}/${image.repository}@${image.digest}`)
    .digest('hex')
    .slice(0, EXECUTION_HASH_HEX);
  return `fleet-${runId}-${hash}`;
}

function fleetTrigger(input: ScanItemInput, now: Date): Trigger {
  const time = input.startedAt ?? now.toISOString();
  return { type: 'fleet', id: input.runId, actor: FLEET_ACTOR, time };
}

function changedEvent(
  input: ScanItemInput,
  previous: StoredVerdict,
  verdict: StoredVerdict,
  change: Change,
  versions: Record<string, string>,
): AuditEvent {
  return scanEvent({
    subject: verdict.scanId,
    type: 'verdict.changed',
    time: verdict.recordedAt,
    trigger: fleetTrigger(input, new Date(verdict.recordedAt)),
    image: input.image,
    details: {
      scanId: verdict.scanId,
      rematched: true,
      from: previous.decision,
      to: verdict.decision,
      previousScanId: previous.scanId,
      reasons: change.reasons,
      newSevereFindings: change.newSevereFindings,
    },
    versions,
  });
}
