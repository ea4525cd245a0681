import { z } from 'zod';
import { scanEvent, scanVersions } from './audit-events';
import { PipelineError } from './errors';
import { digest12, imageName } from './image-names';
import { verdictHeadline } from './verdict-facts';
import type { AuditLog } from '../audit';
import type { Clock } from '../core';
import type { RegistryWriter, VerdictStore } from './ports';
import type { QuarantineMode } from './settings';
import { RecordedScan } from './states';
import { stepBinding } from './step-binding';

export interface QuarantineDeps {
  readonly registry: RegistryWriter;
  readonly verdicts: VerdictStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
  /** `CLEARANCE_QUARANTINE`: `record` blocks in the images table; `tag` also tags the image. */
  readonly mode: QuarantineMode;
  /** How long the quarantine tag's own push event is recognised: the trigger window. */
  readonly windowSeconds: number;
}

/** Quarantine's output (at `$.quarantine`). */
export const QuarantineResult = z.object({
  mode: z.enum(['record', 'tag']),
  /** The quarantine tag, in mode `tag`. */
  tag: z.string().optional(),
  reason: z.string(),
});
export type QuarantineResult = z.infer<typeof QuarantineResult>;

/** The Quarantine state: a failing image recorded as blocked, and tagged in mode `tag`. */
export const QUARANTINE_STEP = stepBinding('Quarantine', RecordedScan, quarantineScan);

/**
 * The Quarantine step: records the failing digest as blocked (with why), in mode `tag` also
 * tags it `quarantine-<digest12>` in its own repository (marked first, as a promotion is, so the
 * tag's push event does not scan it again), and records `image.quarantined`.
 */
export async function quarantineScan(
  scan: RecordedScan,
  deps: QuarantineDeps,
): Promise<QuarantineResult> {
  const { image, record, scanId } = scan;
  if (record.decision !== 'fail')
    throw new PipelineError(
      'MISCONFIGURED',
      `Quarantine got the ${record.decision} verdict of ${imageName(image)} (scan ${scanId}); Decide sends only failing images there`,
    );
  const reason = `fail: ${verdictHeadline(scan.platforms)}`;
  const now = deps.clock();
  await deps.verdicts.block(image, scanId, reason);
  const tag = deps.mode === 'tag' ? quarantineTag(image.digest) : undefined;
  if (tag !== undefined) {
    const expiresAt = new Date(now.getTime() + deps.windowSeconds * 1000);
    await deps.verdicts.markPromotion(image.repository, image.digest, expiresAt);
    await deps.registry.copy(image, { repository: image.repository, tag });
  }
  await deps.audit.append([
    scanEvent({
      subject: scanId,
      type: 'image.quarantined',
      time: now.toISOString(),
      trigger: scan.trigger,
      image,
      details: { scanId, mode: deps.mode, reason, ...(tag === undefined ? {} : { tag }) },
      versions: scanVersions(scan.analyzerSet, scan.platforms),
    }),
  ]);
  return tag === undefined ? { mode: deps.mode, reason } : { mode: deps.mode, tag, reason };
}

/** The tag a quarantined digest gets in its repository. */
export function quarantineTag(digest: string): string {
  return `quarantine-${digest12(digest)}`;
}
