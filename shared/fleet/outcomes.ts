import { z } from 'zod';
import { Decision, ImageTarget, SeverityCounts } from '../pipeline';
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
  /** CRITICAL/HIGH ids its stored verdict had and the re-check no longer finds (re-matched only). */
  readonly fixedSevereFindings?: readonly string[];
  /** Ids of its open findings in CISA's KEV catalog (re-matched only; absent: none, or no data). */
  readonly kevFindings?: readonly string[];
  /** How it was checked: re-matched from its stored scan, or scanned in full for the first time. */
  readonly how: 'rematched' | 'scanned';
}

/** An item whose check failed: its image (from its input) and Step Functions' error. */
export interface ItemFailure {
  readonly image: ImageTarget | null;
  readonly error: string;
  readonly cause: string;
}

const Verdict = z.object({ decision: Decision, newSevereFindings: z.array(z.string()) });
/** The parts of ScanImage's final state the summary reads: its verdict and each platform's counts. */
const ScanImageOutput = z.object({
  record: Verdict,
  platforms: z.array(z.object({ counts: SeverityCounts })).default([]),
});

/**
 * What the ScanNewImage state (a `startExecution.sync:2`, ResultPath `$.scan`) leaves on an item
 * that needed a scan: ScanImage's verdict and counts picked by its ResultSelector
 * (`{record.$: $.Output.record, counts.$: $.Output.platforms[*].counts}`), or its whole result,
 * whose `Output` is ScanImage's final state (JSON, or its text).
 */
const ScanResult = z.union([
  z.object({ record: Verdict, counts: z.array(SeverityCounts).default([]) }),
  z
    .object({
      Output: z.preprocess(
        (output) =>
          typeof output === 'string' ? safe(() => JSON.parse(output) as unknown) : output,
        ScanImageOutput,
      ),
    })
    .transform(({ Output }) => ({
      record: Output.record,
      counts: Output.platforms.map((p) => p.counts),
    })),
]);

/** What an item's output says happened to it. */
export type Outcome =
  | ImageOutcome
  /** An unknown digest the run did not scan. */
  | 'needsScan'
  /** Scanned by ScanNewImage, but the results do not carry its verdict. */
  | 'scannedWithoutVerdict'
  /** An output of another shape. */
  | undefined;

/** The outcome of a succeeded item. */
export function outcomeOf(output: unknown): Outcome {
  const rematched = RematchedItem.safeParse(output);
  if (rematched.success) return { ...rematched.data, how: 'rematched' };
  const item = NeedsScanItem.safeParse(output);
  if (!item.success) return undefined;
  const scan = (output as { scan?: unknown }).scan;
  if (scan === undefined) return 'needsScan';
  const result = ScanResult.safeParse(scan);
  if (!result.success) return 'scannedWithoutVerdict';
  const { decision, newSevereFindings } = result.data.record;
  return {
    image: item.data.image,
    decision,
    previousDecision: null,
    counts: maxCounts(result.data.counts),
    newSevereFindings,
    how: 'scanned',
  };
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
