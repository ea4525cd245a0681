import type { ImageSource } from '../image';
import type { Decision, ImageTarget } from './states';

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
