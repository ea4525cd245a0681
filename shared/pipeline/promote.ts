import { z } from 'zod';
import { scanEvent, scanVersions } from './audit-events';
import { PipelineError } from './errors';
import { digest12, imageName } from './image-names';
import type { AuditLog } from '../audit';
import type { Clock } from '../core';
import type { RegistryWriter, VerdictStore } from './ports';
import { TAG } from './settings';
import { RecordedScan, type ImageTarget } from './states';
import { stepBinding } from './step-binding';

/** Where passing images are copied: `CLEARANCE_PROMOTION_REPOSITORY` and `CLEARANCE_PROMOTION_TAG`. */
export interface PromotionTarget {
  readonly repository: string;
  /** `{tag}` and `{digest12}` are substituted: `{tag}`, `release-{digest12}`. */
  readonly tagPattern: string;
  /** How long the promotion's own push event is recognised: the trigger window. */
  readonly windowSeconds: number;
}

export interface PromoteDeps {
  readonly registry: RegistryWriter;
  readonly verdicts: VerdictStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly target: PromotionTarget;
}

/** Promote's output (at `$.promotion`). */
export const PromotionResult = z.object({
  promoted: z.boolean(),
  repository: z.string(),
  tag: z.string().optional(),
  /** Why not, when not promoted. */
  reason: z.string().optional(),
});
export type PromotionResult = z.infer<typeof PromotionResult>;

/** The Promote state: a passing image copied to the promotion repository (exact manifest bytes). */
export const PROMOTE_STEP = stepBinding('Promote', RecordedScan, promoteScan);

/**
 * The Promote step: copies a passing (or warning) image, its exact manifest bytes, to the
 * promotion repository under the pattern's tag, and records `image.promoted`. The promotion is
 * marked first, so that the push event the copy causes is recognised by StartScan and does not
 * scan the same digest again. An untagged image under a `{tag}` pattern, or a pattern that
 * makes no valid tag, is not promoted (and says why) rather than failing the scan.
 */
export async function promoteScan(scan: RecordedScan, deps: PromoteDeps): Promise<PromotionResult> {
  const { image, record, scanId } = scan;
  if (record.decision === 'fail')
    throw new PipelineError(
      'MISCONFIGURED',
      `Promote got the failing verdict of ${imageName(image)} (scan ${scanId}); Decide sends failing images to Quarantine`,
    );
  const { repository, tagPattern, windowSeconds } = deps.target;
  const tag = promotionTag(tagPattern, image);
  if (typeof tag !== 'string') return { promoted: false, repository, reason: tag.reason };
  const now = deps.clock();
  await deps.verdicts.markPromotion(
    repository,
    image.digest,
    new Date(now.getTime() + windowSeconds * 1000),
  );
  await deps.registry.copy(image, { repository, tag });
  await deps.audit.append([
    scanEvent({
      subject: scanId,
      type: 'image.promoted',
      time: now.toISOString(),
      trigger: scan.trigger,
      image,
      details: { scanId, decision: record.decision, to: { repository, tag } },
      versions: scanVersions(scan.analyzerSet, scan.platforms),
    }),
  ]);
  return { promoted: true, repository, tag };
}

/** The pattern with the image's tag and short digest in it, or why there is no such tag. */
export function promotionTag(pattern: string, image: ImageTarget): string | { reason: string } {
  if (pattern.includes('{tag}') && image.tag === undefined)
    return { reason: `the image has no tag and the promotion tag pattern ${pattern} needs one` };
  const tag = pattern
    .replaceAll('{tag}', image.tag ?? '')
    .replaceAll('{digest12}', digest12(image.digest));
  return TAG.test(tag)
    ? tag
    : {
        reason: `the promotion tag pattern ${pattern} makes ${JSON.stringify(tag)}, not a valid tag`,
      };
}
