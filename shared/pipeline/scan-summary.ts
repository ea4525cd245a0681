import { z } from 'zod';
import type { ObjectStore } from '../objects';
import { scanSummaryKey, writeJson } from './scan-keys';
import { Decision, EvaluatedPlatform, ImageTarget, RecordInput, Trigger } from './states';

/**
 * `scans/<scanId>/summary.json`: what Record decided and from what. Every platform's verdict,
 * the image, the trigger, the decision, the comparison with the previous scan and the versions
 * that decided it; notifications point people to it, and a retried Record reads it back so that
 * its answer does not change once the verdict store holds this very scan.
 */
export const ScanSummary = z.object({
  scanId: RecordInput.shape.scanId,
  image: ImageTarget,
  trigger: Trigger,
  startedAt: RecordInput.shape.startedAt,
  recordedAt: RecordInput.shape.startedAt,
  decision: Decision,
  changed: z.boolean(),
  reasons: z.array(z.string()),
  newSevereFindings: z.array(z.string()),
  /** The verdict compared with: the last scan of repository:tag (of the digest when untagged). */
  previous: z
    .object({
      scanId: z.string(),
      digest: z.string(),
      decision: Decision,
      recordedAt: z.string(),
      /** The policy it was judged under (absent in summaries written before it was kept). */
      policyDigest: z.string().optional(),
    })
    .nullable(),
  versions: z.record(z.string(), z.string()),
  platforms: z.array(EvaluatedPlatform).min(1),
});
export type ScanSummary = z.infer<typeof ScanSummary>;

/** The summary of `scanId` if one was written and reads as one, else undefined. */
export async function readSummary(
  store: ObjectStore,
  scanId: string,
): Promise<ScanSummary | undefined> {
  const body = await store.get(scanSummaryKey(scanId));
  if (!body) return undefined;
  try {
    const parsed = ScanSummary.safeParse(JSON.parse(body.toString('utf8')));
    return parsed.success && parsed.data.scanId === scanId ? parsed.data : undefined;
  } catch {
    return undefined; // a damaged summary is made again
  }
}

/** Writes the summary where {@link scanSummaryKey} says; returns that key. */
export async function writeSummary(store: ObjectStore, summary: ScanSummary): Promise<string> {
  const key = scanSummaryKey(summary.scanId);
  await writeJson(store, key, summary);
  return key;
}
