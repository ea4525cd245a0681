import { z } from 'zod';
import { Decision, ImageTarget, SeverityCounts } from '../steps';
import { maxCounts } from './counts';
import type { MapExecutionResult } from './result-writer';
import { NeedsScanItem, RematchedItem } from './schemas';

/*
 * What one item of the fleet map came to, read from the ResultWriter's record of its child
 * execution: a verdict (re-matched, or scanned in full by ScanNewImage), a digest still to
 * scan, or a failure.
 */

/** One image's outcome in the run. */
export interface ImageOutcome {
  readonly image: ImageTarget;
  readonly decision: Decision;
  readonly previousDecision: Decision | null;
  readonly counts: SeverityCounts;
  readonly newSevereFindings: readonly string[];
  /** How it was checked: re-matched from its stored scan, or scanned in full for the first time. */
  readonly how: 'rematched' | 'scanned';
}

/** An item whose check failed: its image (from its input) and Step Functions' error. */
export interface ItemFailure {
  readonly image: ImageTarget | null;
  readonly error: string;
  readonly cause: string;
}

/**
 * What the ScanNewImage state leaves on an item that needed a scan (ResultPath `$.scan` of a
 * `startExecution.sync:2`): ScanImage's final state, whose `record` is the verdict.
 */
const ScannedItem = NeedsScanItem.extend({
  scan: z.object({
    Output: z.preprocess(
      (output) => (typeof output === 'string' ? (JSON.parse(output) as unknown) : output),
      z.object({
        record: z.object({ decision: Decision, newSevereFindings: z.array(z.string()) }),
        platforms: z.array(z.object({ counts: SeverityCounts })).default([]),
      }),
    ),
  }),
});

/** The outcome of a succeeded item; `needsScan` when it was not scanned; undefined if unknown. */
export function outcomeOf(output: unknown): ImageOutcome | 'needsScan' | undefined {
  const rematched = RematchedItem.safeParse(output);
  if (rematched.success) return { ...rematched.data, how: 'rematched' };
  const scanned = safe(() => ScannedItem.safeParse(output));
  if (scanned?.success) {
    const { image, scan } = scanned.data;
    const counts = maxCounts(scan.Output.platforms.map((p) => p.counts));
    const { decision, newSevereFindings } = scan.Output.record;
    return { image, decision, previousDecision: null, counts, newSevereFindings, how: 'scanned' };
  }
  return NeedsScanItem.safeParse(output).success ? 'needsScan' : undefined;
}

export function failureOf(execution: MapExecutionResult): ItemFailure {
  return {
    image: imageOf(execution.input),
    error: execution.error ?? execution.status,
    cause: execution.cause ?? '',
  };
}

/** An item that succeeded with an output of another shape: counted as failed, not guessed. */
export function unreadable(execution: MapExecutionResult): ItemFailure {
  return {
    image: imageOf(execution.input),
    error: 'Clearance.Bug',
    cause: 'the item succeeded with an output the summary does not read',
  };
}

function imageOf(input: unknown): ImageTarget | null {
  const parsed = ImageTarget.safeParse((input as { image?: unknown } | null)?.image);
  return parsed.success ? parsed.data : null;
}

function safe<T>(work: () => T): T | undefined {
  try {
    return work();
  } catch {
    return undefined;
  }
}
