import { z } from 'zod';

/*
 * What the ScanImage, FleetScan and SyncVulnerabilityData state machines pass between their
 * states: small JSON, with S3 keys (object-store keys) for anything larger than a few KB (the
 * Step Functions state is capped at 256 KiB). Each handler parses its input with the schema
 * here at the edge; a malformed input is a `MalformedInputError`, never retried.
 */

const digest = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'a sha256 digest');
const objectKey = z.string().min(1);
const isoTime = z.string().datetime({ offset: true });

/** The image a scan is about: where it lives, and the digest that names it (never a tag). */
export const ImageTarget = z.object({
  /** `<account>.dkr.ecr.<region>.amazonaws.com`, another registry host, or a local reference (`oci:DIR`). */
  registry: z.string().min(1),
  repository: z.string().min(1),
  digest,
  /** The tag the push named, when it named one. */
  tag: z.string().min(1).optional(),
});
export type ImageTarget = z.infer<typeof ImageTarget>;

/** Why a scan runs, for the audit trail. */
export const Trigger = z.object({
  type: z.enum(['push', 'fleet', 'manual']),
  /** The event id or the fleet run id. */
  id: z.string().min(1),
  /** The principal that pushed, the schedule, or the local user. */
  actor: z.string().min(1),
  time: isoTime,
});
export type Trigger = z.infer<typeof Trigger>;

/**
 * An untagged manifest's push may be a platform of an index pushed next: its scan waits
 * `seconds` (the state machine's Wait), then Resolve skips it when the index's push claimed it.
 */
export const Deferral = z.object({ seconds: z.number().int().positive().max(3600) });

/** The ScanImage execution input. */
export const ScanImageInput = z.object({
  image: ImageTarget,
  trigger: Trigger,
  defer: Deferral.optional(),
});
export type ScanImageInput = z.infer<typeof ScanImageInput>;

/** What an artifact or a skipped scan is (Resolve's output when it scans nothing). */
export const SkippedScan = z.object({
  image: ImageTarget,
  trigger: Trigger,
  skipped: z.object({
    /** `artifact`: not an image (a signature, an SBOM, a chart…); `indexed`: its index's scan covers it. */
    reason: z.enum(['artifact', 'indexed']),
    /** For people: `a cosign signature (…)`, `pushed with index sha256:…`. */
    detail: z.string(),
    kind: z.string().optional(),
    index: z.string().optional(),
  }),
});
export type SkippedScan = z.infer<typeof SkippedScan>;

export const LayerDescriptor = z.object({
  digest,
  mediaType: z.string().min(1),
  size: z.number().int().nonnegative(),
  diffId: digest,
});
export type LayerDescriptor = z.infer<typeof LayerDescriptor>;

/** One platform image of a resolved target; its manifest and config are at `imageKey`. */
export const PlatformRef = z.object({
  platform: z.string().min(1),
  manifestDigest: digest,
  /** The `PlatformImage` (manifest, config, layers) as JSON. */
  imageKey: objectKey,
  layers: z.array(LayerDescriptor),
});
export type PlatformRef = z.infer<typeof PlatformRef>;

/** Resolve's output, and the state every later ScanImage state reads. */
export const ResolvedScan = z.object({
  /** Deterministic per image digest and trigger: a retried step writes the same keys. */
  scanId: z.string().regex(/^[A-Za-z0-9._-]+$/),
  image: ImageTarget,
  trigger: Trigger,
  startedAt: isoTime,
  /** The analyser set the layer reports are made by (part of their cache key). */
  analyzerSet: z.string().min(1),
  platforms: z.array(PlatformRef).min(1),
});
export type ResolvedScan = z.infer<typeof ResolvedScan>;

/** AnalyzeLayer's input: one item of the layers Map. */
export const AnalyzeLayerStepInput = z.object({
  image: ImageTarget,
  analyzerSet: z.string().min(1),
  layer: LayerDescriptor,
});
export type AnalyzeLayerStepInput = z.infer<typeof AnalyzeLayerStepInput>;

export const AnalyzedLayer = z.object({
  layer: digest,
  reportKey: objectKey,
  cached: z.boolean(),
});
export type AnalyzedLayer = z.infer<typeof AnalyzedLayer>;

/** Assemble's input: one platform, after its layers Map. */
export const AssembleInput = z.object({
  scanId: ResolvedScan.shape.scanId,
  image: ImageTarget,
  platform: PlatformRef,
  layers: z.array(AnalyzedLayer),
});
export type AssembleInput = z.infer<typeof AssembleInput>;

/** The objects one platform's scan leaves behind. */
export const PlatformKeys = z.object({
  /** The scan report so far (inventory, secrets, checks), JSON. */
  report: objectKey,
  cyclonedx: objectKey,
  spdx: objectKey,
});
export type PlatformKeys = z.infer<typeof PlatformKeys>;

export const AssembledPlatform = z.object({
  platform: z.string().min(1),
  manifestDigest: digest,
  keys: PlatformKeys,
  packages: z.number().int().nonnegative(),
});
export type AssembledPlatform = z.infer<typeof AssembledPlatform>;

/** Match's input and output: the report at `keys.report` gains its vulnerabilities. */
export const MatchInput = z.object({
  scanId: ResolvedScan.shape.scanId,
  assembled: AssembledPlatform,
});
export type MatchInput = z.infer<typeof MatchInput>;

export const SeverityCounts = z.object({
  critical: z.number().int().nonnegative(),
  high: z.number().int().nonnegative(),
  medium: z.number().int().nonnegative(),
  low: z.number().int().nonnegative(),
  unknown: z.number().int().nonnegative(),
});
export type SeverityCounts = z.infer<typeof SeverityCounts>;

export const MatchedPlatform = AssembledPlatform.extend({
  dataVersion: z.string().min(1),
  counts: SeverityCounts,
});
export type MatchedPlatform = z.infer<typeof MatchedPlatform>;

export const EvaluateInput = z.object({
  scanId: ResolvedScan.shape.scanId,
  image: ImageTarget,
  matched: MatchedPlatform,
});
export type EvaluateInput = z.infer<typeof EvaluateInput>;

export const Decision = z.enum(['pass', 'warn', 'fail']);
export type Decision = z.infer<typeof Decision>;

/** A finding that a notification names: its id, package and fix. */
export const TopFinding = z.object({
  id: z.string(),
  severity: z.string(),
  package: z.string(),
  version: z.string(),
  fixedVersion: z.string().nullable(),
  /** In CISA's KEV catalog; absent when the scan had no KEV data. */
  kev: z.boolean().optional(),
  /** The EPSS score (0–1); absent when EPSS scores none of its CVEs, or without EPSS data. */
  epss: z.number().min(0).max(1).optional(),
});
export type TopFinding = z.infer<typeof TopFinding>;

/** A coverage gap in brief (coverage/gap.ts): what could not be checked, and why. */
export const GapBrief = z.object({ kind: z.string(), subject: z.string(), reason: z.string() });
export type GapBrief = z.infer<typeof GapBrief>;

/** Gaps a verdict names for people. */
export const MAX_GAPS_NAMED = 10;

/** One platform's verdict: the output of the platforms Map. */
export const EvaluatedPlatform = MatchedPlatform.extend({
  decision: Decision,
  /**
   * Whether the scan checked everything: `incomplete` (a gap nobody accepted) fails the verdict.
   * Absent: evaluated by a version before coverage.
   */
  coverage: z.enum(['complete', 'accepted', 'incomplete']).optional(),
  /** The gaps nobody accepted, the first of them (absent: none). */
  gaps: z.array(GapBrief).max(MAX_GAPS_NAMED).optional(),
  policy: z.object({ name: z.string(), digest: z.string() }),
  /** Ids of the CRITICAL and HIGH findings not suppressed, sorted: what "new findings" compares. */
  severeFindings: z.array(z.string()),
  /**
   * Open findings CISA's KEV catalog lists. Absent when the scan had no KEV data (or no open
   * finding to tell it by): a count never claims what was not checked.
   */
  kev: z.number().int().nonnegative().optional(),
  topFindings: z.array(TopFinding).max(10),
  secrets: z.number().int().nonnegative(),
  failedChecks: z.array(z.string()),
  /** The rules that failed the verdict: `deny` rules that failed, and any rule that erred. */
  failedRules: z.array(z.string()),
  /** The `warn` rules that failed (absent: none): they make the verdict warn, not fail. */
  warnedRules: z.array(z.string()).optional(),
  signature: z.enum(['verified', 'unsigned', 'invalid', 'not-checked']),
  /** The policy exceptions that excepted rules of this platform (absent: none), for the audit trail. */
  exceptionsUsed: z
    .array(z.object({ id: z.string(), rules: z.array(z.string()), note: z.string() }))
    .optional(),
  /** The policy's exceptions past their expiry (absent: none): they applied to nothing. */
  expiredExceptions: z.array(z.object({ id: z.string(), expires: z.string() })).optional(),
});
export type EvaluatedPlatform = z.infer<typeof EvaluatedPlatform>;

/** Record's input: the resolved scan with each platform's verdict in place of its ref. */
export const RecordInput = ResolvedScan.omit({ platforms: true }).extend({
  platforms: z.array(EvaluatedPlatform).min(1),
});
export type RecordInput = z.infer<typeof RecordInput>;

/** Record's output (at `$.record`): the image's verdict and whether people should hear of it. */
export const RecordedVerdict = z.object({
  decision: Decision,
  /** The verdict changed, or CRITICAL/HIGH findings appeared, since the last scan of repository:tag. */
  changed: z.boolean(),
  /** Why `changed` (for the message): `verdict pass → fail`, `2 new critical/high`. */
  reasons: z.array(z.string()),
  newSevereFindings: z.array(z.string()),
  /** The decision of the scan compared with; null for a first scan (absent: not told). */
  previousDecision: Decision.nullable().optional(),
  /** The summary of every platform, JSON (what the notification links to). */
  summaryKey: objectKey,
});
export type RecordedVerdict = z.infer<typeof RecordedVerdict>;

/** Promote, Quarantine and Notify read the recorded scan. */
export const RecordedScan = RecordInput.extend({ record: RecordedVerdict });
export type RecordedScan = z.infer<typeof RecordedScan>;

/** What a Catch hands on: Step Functions' `{ Error, Cause }`. */
export const CaughtError = z.object({ Error: z.string(), Cause: z.string().optional() });

/** RecordFailure's input: the execution input (or what was resolved of it) and the error. */
export const FailureInput = z.object({
  image: ImageTarget,
  trigger: Trigger,
  scanId: ResolvedScan.shape.scanId.optional(),
  error: CaughtError,
});
export type FailureInput = z.infer<typeof FailureInput>;
