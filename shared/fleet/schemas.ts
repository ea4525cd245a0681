import { z } from 'zod';
import { Decision, ImageTarget, ScanImageInput, SeverityCounts } from '../pipeline';
import { PublishedFindings } from '../pipeline';
import { PostureRunOutcome } from '../posture-run';

/*
 * What the FleetScan state machine's states pass: Enumerate → the Distributed Map over the
 * items file (CheckImage, then ScanNewImage for an unknown digest) → Summarize, which reads the
 * map's ResultWriter output from S3. Small JSON only; the items and results live in S3.
 */

/**
 * A fleet run's id: it names the run's objects (`fleet/<runId>/…`), its notification and the
 * ScanImage executions it starts (≤ 80 characters in all), so it is short and key-safe. The
 * state machine passes its execution name.
 */
export const FleetRunId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,48}$/, 'letters, digits, "-" and "_", at most 48 characters');
export type FleetRunId = z.infer<typeof FleetRunId>;

/**
 * Enumerate's input: the run's name (the state machine passes its execution name, made a
 * {@link FleetRunId} by `fleetRunId`); without one, the run is named after the time it starts.
 */
export const EnumerateInput = z.object({ runId: z.string().min(1).max(80).optional() });
export type EnumerateInput = z.infer<typeof EnumerateInput>;

/**
 * What the fleet listing left out: artifacts by kind (signatures, attestations, SBOMs, charts,
 * our own verdicts), never scanned; and copies the pipeline promoted, checked under the
 * repository they were pushed to.
 */
export const SkippedItems = z.object({
  artifacts: z.record(z.number().int().nonnegative()),
  promotionCopies: z.number().int().nonnegative(),
});
export type SkippedItems = z.infer<typeof SkippedItems>;

/** Enumerate's output: where the Distributed Map's ItemReader finds the items (JSONL). */
export const EnumerateOutput = z.object({
  runId: FleetRunId,
  /** `fleet/<runId>/items.jsonl`, one `ImageTarget` per line. */
  itemsKey: z.string().min(1),
  /** `fleet/<runId>/results`: the Distributed Map's ResultWriter prefix (`Prefix.$`). */
  resultsPrefix: z.string().min(1),
  /** The artifacts bucket, when the function knows it (the ItemReader's `Bucket`). */
  bucket: z.string().min(1).optional(),
  count: z.number().int().nonnegative(),
  skipped: SkippedItems,
  /** When the run started: the time of the scans it starts (the same on a re-driven item). */
  startedAt: z.string().datetime({ offset: true }),
});
export type EnumerateOutput = z.infer<typeof EnumerateOutput>;

/**
 * CheckImage's input: one item of the map with the run it belongs to (the ItemSelector
 * `{runId.$: $.runId, startedAt.$: $.startedAt, image.$: $$.Map.Item.Value}`).
 */
export const ScanItemInput = z.object({
  runId: FleetRunId,
  /** Enumerate's `startedAt`, the time of the ScanImage trigger. @default - the item's own time */
  startedAt: z.string().datetime({ offset: true }).optional(),
  image: ImageTarget,
});
export type ScanItemInput = z.infer<typeof ScanItemInput>;

/** A known digest, re-matched against current data and re-evaluated under the current policy. */
export const RematchedItem = z.object({
  image: ImageTarget,
  rematched: z.literal(true),
  decision: Decision,
  previousDecision: Decision,
  /** CRITICAL/HIGH ids not in the stored verdict, sorted. */
  newSevereFindings: z.array(z.string()),
  /** CRITICAL/HIGH ids of the stored verdict that are gone now (fixed, or no longer matched). */
  fixedSevereFindings: z.array(z.string()).optional(),
  /** Ids of its open findings in CISA's KEV catalog (absent: no KEV data, or none listed). */
  kevFindings: z.array(z.string()).optional(),
  /** The worst platform's counts (platforms of one image mostly share their findings). */
  counts: SeverityCounts,
  /** The verdict or its CRITICAL/HIGH findings changed, so the new verdict was recorded. */
  changed: z.boolean(),
  dataVersion: z.string().min(1),
  /** What publishing its findings to Security Hub did (absent: `securityHub` off). */
  securityHub: PublishedFindings.optional(),
});
export type RematchedItem = z.infer<typeof RematchedItem>;

/** A digest without a usable stored scan: the map runs ScanImage on it with this input and name. */
export const NeedsScanItem = z.object({
  image: ImageTarget,
  needsScan: z.literal(true),
  /** Why it is not re-matched: never scanned, or its stored reports are gone. */
  reason: z.string(),
  /** Deterministic per run and image: a re-driven item starts the same execution, not a second. */
  executionName: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/),
  scanInput: ScanImageInput,
});
export type NeedsScanItem = z.infer<typeof NeedsScanItem>;

/** CheckImage's output. */
export const FleetItemResult = z.union([RematchedItem, NeedsScanItem]);
export type FleetItemResult = z.infer<typeof FleetItemResult>;

/**
 * Summarize's input: the run and the ResultWriter manifest the Distributed Map wrote (its
 * output is `{MapRunArn, ResultWriterDetails: {Bucket, Key}}`; pass the `Key`, which is
 * `<resultsPrefix>/<map run id>/manifest.json`).
 */
export const SummarizeInput = z.object({
  runId: FleetRunId,
  manifestKey: z.string().min(1),
  /**
   * The Posture state's summary, or its failure as the Catch hands it on; absent from a run
   * without a posture step.
   */
  posture: PostureRunOutcome.optional(),
});
export type SummarizeInput = z.infer<typeof SummarizeInput>;

/** Summarize's output (the state's result): the report's key and the posture in numbers. */
export const SummarizeOutput = z.object({
  runId: FleetRunId,
  summaryKey: z.string().min(1),
  notified: z.boolean(),
  images: z.number().int().nonnegative(),
  pass: z.number().int().nonnegative(),
  warn: z.number().int().nonnegative(),
  fail: z.number().int().nonnegative(),
  needsScan: z.number().int().nonnegative(),
  scannedWithoutVerdict: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  pending: z.number().int().nonnegative(),
  newSevereFindings: z.number().int().nonnegative(),
});
export type SummarizeOutput = z.infer<typeof SummarizeOutput>;
