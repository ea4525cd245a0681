import type { ImageSource } from '../image/source';
import type { NotificationDocument } from './notification-document';
import type { Decision, ImageTarget, Trigger } from './steps';

/*
 * The narrow ports the pipeline steps use (STYLE.md §6). Adapters: shared/aws/ for the cloud,
 * shared/pipeline/local/ for `clearance pipeline run` and the tests. `ObjectStore` is in
 * object-store.ts.
 */

/** Opens the image a step works on: ECR with its token in the cloud, the user's reference locally. */
export interface ImageOpener {
  open(image: ImageTarget): Promise<ImageSource>;
}

/** The last recorded verdict of a digest, or of a repository:tag (for change detection). */
export interface StoredVerdict {
  readonly digest: string;
  readonly decision: Decision;
  readonly scanId: string;
  readonly recordedAt: string;
  /** CRITICAL/HIGH finding ids not suppressed, sorted. */
  readonly severeFindings: readonly string[];
  readonly policyDigest: string;
  readonly dataVersion: string;
  readonly analyzerSet: string;
  /** Where the scan left its objects, per platform manifest digest: what the fleet re-matches. */
  readonly platforms: readonly {
    readonly platform: string;
    readonly manifestDigest: string;
    readonly reportKey: string;
  }[];
}

/** The images table: latest verdict per digest and per repository:tag, promotion markers. */
export interface VerdictStore {
  verdictOf(digest: string): Promise<StoredVerdict | undefined>;
  /** The verdict of the last scan of `repository:tag` (or the untagged digest's), if any. */
  lastVerdictOf(repository: string, tag: string | undefined): Promise<StoredVerdict | undefined>;
  /**
   * Records `verdict` as the digest's and as repository:tag's latest. Idempotent: recording the
   * same scanId again changes nothing; a verdict older than the stored one never replaces it.
   */
  record(image: ImageTarget, verdict: StoredVerdict): Promise<void>;
  /** Marks that the pipeline itself pushes `digest` to `repository` (its promotion), until `expiresAt`. */
  markPromotion(repository: string, digest: string, expiresAt: Date): Promise<void>;
  isPromotion(repository: string, digest: string, at: Date): Promise<boolean>;
  /**
   * Marks `digest` as a platform manifest of the index `index`, pushed with it to `repository`,
   * until `expiresAt`: the index's scan covers it, so its own push starts nothing.
   */
  markIndexed(repository: string, digest: string, index: string, expiresAt: Date): Promise<void>;
  /** The index `digest` was pushed with (see `markIndexed`), while the mark holds at `at`. */
  indexOf(repository: string, digest: string, at: Date): Promise<string | undefined>;
  /** Records that a digest is blocked (quarantined), with why. */
  block(image: ImageTarget, scanId: string, reason: string): Promise<void>;
}

export type AuditEventType =
  | 'image.pushed'
  | 'artifact.skipped'
  | 'scan.skipped'
  | 'scan.started'
  | 'scan.completed'
  | 'scan.failed'
  | 'verdict.changed'
  | 'image.promoted'
  | 'image.quarantined'
  | 'exception.used'
  | 'exception.expired'
  | 'vulnerability-data.updated'
  | 'policy.changed'
  | 'secret.rotated';

/** One event of the audit trail. Issue 7 chains them (hash chain, anchors); this is its input. */
export interface AuditEvent {
  /** Deterministic (scanId + type, say): appending the same event twice records it once. */
  readonly id: string;
  readonly type: AuditEventType;
  readonly time: string;
  readonly actor: string;
  readonly image?: { readonly repository: string; readonly digest: string; readonly tag?: string };
  readonly details: Readonly<Record<string, unknown>>;
  /** What decided it: policy digest, vulnerability data version, analyser set. */
  readonly versions: Readonly<Record<string, string>>;
}

export interface AuditLog {
  /** Appends events; an event whose id is already recorded is skipped, not duplicated. */
  append(events: readonly AuditEvent[]): Promise<void>;
}

/**
 * A message for people (e-mail) and for machines, with attributes subscriptions filter on. SNS
 * delivers `body` to e-mail subscribers and `document` (as JSON) to every other protocol.
 */
export interface Notification {
  /** Deterministic: publishing the same notification twice sends it once. */
  readonly id: string;
  readonly topic: 'alerts' | 'operations';
  /** ASCII, under 100 characters. */
  readonly subject: string;
  /** The text people read. */
  readonly body: string;
  /** The JSON form for machines, valid against shared/pipeline/notification.schema.json. */
  readonly document: NotificationDocument;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface Notifier {
  /** Publishes unless a notification with the same id was published already; true when sent. */
  publish(notification: Notification): Promise<boolean>;
}

/** Writes to the registry: promotion and quarantine tags, copying exact manifest bytes. */
export interface RegistryWriter {
  /**
   * Tags `digest` of `from` as `to.repository:to.tag` with the very manifest bytes (BatchGetImage
   * then PutImage in ECR). An image already there with that tag and digest is success.
   */
  copy(from: ImageTarget, to: { readonly repository: string; readonly tag: string }): Promise<void>;
}

/** Starts ScanImage executions; a second start with the same name is a duplicate, not an error. */
export interface ExecutionStarter {
  start(name: string, input: unknown): Promise<{ readonly started: boolean }>;
}

/** The time, injected so that tests and golden files are reproducible. */
export type Clock = () => Date;

export type { Trigger };
