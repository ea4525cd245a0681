import type { NotifiedScan, ObjectLink } from './notified-scan';
import type { RecordedFailure } from '../pipeline';
import type { Decision, ImageTarget, SeverityCounts, Trigger } from '../pipeline';
import {
  SEVERITIES,
  maxSeverity,
  openGapsOf,
  topFindingsOf,
  union,
  worstCounts,
} from '../pipeline';

/*
 * The JSON form of a notification, for machines: what SQS, Lambda, HTTP(S) and application
 * subscribers of the topics receive (the e-mail subscribers get the text). Its schema is
 * notification.schema.json beside this file: one document per event type, each with the same
 * head (schema, id, eventType, verdict, maxSeverity) as the message attributes. Like the text,
 * it carries counts of secrets and never a secret's value or match.
 */

/** The `$schema` of every document: notification.schema.json's `$id`. */
export const NOTIFICATION_SCHEMA = 'https://clearance.invalid/schemas/notification.schema.json';

export type Severity = (typeof SEVERITIES)[number];

/** The head every notification document starts with; the message attributes say the same. */
export interface DocumentHead {
  readonly $schema: typeof NOTIFICATION_SCHEMA;
  /** The notification's id: a consumer that sees one twice has seen one notification. */
  readonly id: string;
  readonly eventType:
    'verdict.changed' | 'findings.new' | 'scan.failed' | 'fleet.summary' | 'image.deployed';
  /** `unknown`: an image deployed without a recorded verdict (shared/deployments/). */
  readonly verdict: Decision | 'error' | 'unknown';
  readonly maxSeverity: Severity | 'none';
}

/** An image by its registry, repository, tag (null when the push named none) and digest. */
export interface DocumentImage {
  readonly registry: string;
  readonly repository: string;
  readonly tag: string | null;
  readonly digest: string;
}

export interface VerdictDocument extends DocumentHead {
  readonly eventType: 'verdict.changed' | 'findings.new';
  readonly verdict: Decision;
  /** The verdict of the scan compared with; null for a first scan. */
  readonly previousVerdict: Decision | null;
  readonly scanId: string;
  readonly image: DocumentImage;
  readonly trigger: Trigger;
  /** Why people are told: `verdict pass → fail`, `2 new critical/high (…)`. */
  readonly reasons: readonly string[];
  readonly newSevereFindings: readonly string[];
  /** Per severity, the most any platform has. */
  readonly counts: SeverityCounts;
  /** How many secrets the worst platform holds: a count, never a value. */
  readonly secrets: number;
  readonly topFindings: readonly {
    readonly id: string;
    readonly severity: Severity;
    readonly package: string;
    readonly version: string;
    readonly fixedVersion: string | null;
  }[];
  readonly failedChecks: readonly string[];
  /** The rules that failed the verdict (`deny` rules, and rules that erred). */
  readonly failedRules: readonly string[];
  /** The `warn` rules that failed: the verdict warns on them, it does not fail. */
  readonly warnedRules: readonly string[];
  /** `incomplete` when a platform left a gap nobody accepted: the verdict then fails. */
  readonly coverage: 'complete' | 'accepted' | 'incomplete';
  /** The gaps nobody accepted, each kind and subject once. */
  readonly gaps: readonly {
    readonly kind: string;
    readonly subject: string;
    readonly reason: string;
  }[];
  readonly platforms: readonly {
    readonly platform: string;
    readonly manifestDigest: string;
    readonly decision: Decision;
    readonly counts: SeverityCounts;
    readonly secrets: number;
    readonly signature: string;
    /** Where the platform's report is (`s3://bucket/key` in the cloud, a path locally). */
    readonly report: string;
    readonly sbom: { readonly cyclonedx: string; readonly spdx: string };
  }[];
  /** Where the scan's summary is. */
  readonly summary: string;
  readonly quarantine: { readonly mode: string; readonly tag: string | null } | null;
  readonly promotion: {
    readonly promoted: boolean;
    readonly repository: string | null;
    readonly tag: string | null;
    readonly reason: string | null;
  } | null;
  readonly versions: {
    readonly policyName: string;
    readonly policyDigest: string;
    readonly dataVersion: string;
    readonly analyzerSet: string;
  };
}

export interface FailureDocument extends DocumentHead {
  readonly eventType: 'scan.failed';
  readonly verdict: 'error';
  readonly maxSeverity: 'none';
  /** Null when the scan failed before it had an id. */
  readonly scanId: string | null;
  readonly image: DocumentImage | null;
  readonly trigger: Trigger | null;
  /** Step Functions' error name and its cause (credentials redacted, cut). */
  readonly error: { readonly name: string; readonly cause: string | null };
}

/**
 * A notification's JSON form: every document starts with the head (verdict and failure documents
 * here, the fleet digest's in shared/fleet/digest-document.ts, a deployment's in
 * shared/deployments/alert.ts).
 */
export type NotificationDocument = DocumentHead;

/** The JSON form of a verdict notification. */
export function verdictDocument(
  scan: NotifiedScan,
  head: { readonly id: string; readonly eventType: VerdictDocument['eventType'] },
  link: ObjectLink,
): VerdictDocument {
  const { platforms, record } = scan;
  const distinct = (values: readonly string[]) => [...new Set(values)].sort().join(',');
  return {
    $schema: NOTIFICATION_SCHEMA,
    ...head,
    verdict: record.decision,
    maxSeverity: maxSeverity(platforms),
    previousVerdict: record.previousDecision ?? null,
    scanId: scan.scanId,
    image: documentImage(scan.image),
    trigger: scan.trigger,
    reasons: record.reasons,
    newSevereFindings: record.newSevereFindings,
    counts: worstCounts(platforms),
    secrets: Math.max(...platforms.map((p) => p.secrets)),
    topFindings: topFindingsOf(platforms).map((f) => ({ ...f, severity: severityOf(f.severity) })),
    failedChecks: union(platforms.map((p) => p.failedChecks)),
    failedRules: union(platforms.map((p) => p.failedRules)),
    warnedRules: union(platforms.map((p) => p.warnedRules ?? [])),
    coverage: coverageOfPlatforms(platforms),
    gaps: openGapsOf(platforms),
    platforms: platforms.map((p) => ({
      platform: p.platform,
      manifestDigest: p.manifestDigest,
      decision: p.decision,
      counts: p.counts,
      secrets: p.secrets,
      signature: p.signature,
      report: link(p.keys.report),
      sbom: { cyclonedx: link(p.keys.cyclonedx), spdx: link(p.keys.spdx) },
    })),
    summary: link(record.summaryKey),
    quarantine: scan.quarantine
      ? { mode: scan.quarantine.mode, tag: scan.quarantine.tag ?? null }
      : null,
    promotion: scan.promotion
      ? {
          promoted: scan.promotion.promoted,
          repository: scan.promotion.repository ?? null,
          tag: scan.promotion.tag ?? null,
          reason: scan.promotion.reason ?? null,
        }
      : null,
    versions: {
      policyName: distinct(platforms.map((p) => p.policy.name)),
      policyDigest: distinct(platforms.map((p) => p.policy.digest)),
      dataVersion: distinct(platforms.map((p) => p.dataVersion)),
      analyzerSet: scan.analyzerSet,
    },
  };
}

/** The JSON form of a failure notification. */
export function failureDocument(failure: RecordedFailure, id: string): FailureDocument {
  return {
    $schema: NOTIFICATION_SCHEMA,
    id,
    eventType: 'scan.failed',
    verdict: 'error',
    maxSeverity: 'none',
    scanId: failure.scanId ?? null,
    image: failure.image ? documentImage(failure.image) : null,
    trigger: failure.trigger ?? null,
    error: { name: failure.error.Error, cause: failure.error.Cause ?? null },
  };
}

export function documentImage(image: ImageTarget): DocumentImage {
  const { registry, repository, tag, digest } = image;
  return { registry, repository, tag: tag ?? null, digest };
}

/** A finding's severity as the documents spell severities: lower case, `unknown` if unknown. */
function severityOf(severity: string): Severity {
  const lower = severity.toLowerCase();
  return (SEVERITIES as readonly string[]).includes(lower) ? (lower as Severity) : 'unknown';
}

/** The worst coverage of the platforms; one written before coverage counts as complete. */
function coverageOfPlatforms(platforms: NotifiedScan['platforms']): VerdictDocument['coverage'] {
  const all = platforms.map((p) => p.coverage ?? 'complete');
  if (all.includes('incomplete')) return 'incomplete';
  return all.includes('accepted') ? 'accepted' : 'complete';
}
