import type { Decision, ImageTarget } from '../pipeline';
import type { PostureRunOutcome } from '../posture-run';
import type { SecretHygieneReport } from '../rotation';
import type { SEVERITIES } from './counts';
import type { ImageOutcome, ItemFailure } from './outcomes';
import type { SkippedItems } from './schemas';

/** `fleet/<runId>/summary.json`: the run's report, and what the digest message says. */
export interface FleetSummary {
  readonly schemaVersion: 1;
  readonly runId: string;
  readonly generatedAt: string;
  readonly manifestKey: string;
  readonly posture: {
    readonly images: number;
    readonly pass: number;
    readonly warn: number;
    readonly fail: number;
    /** Unknown digests the run did not scan. */
    readonly needsScan: number;
    /** Unknown digests the run scanned, whose verdict the map's results do not carry. */
    readonly scannedWithoutVerdict: number;
    /** Items whose check failed (their error is listed under `failures`). */
    readonly failed: number;
    /** Items the map never ran (the map run stopped). */
    readonly pending: number;
  };
  /** The highest severity with a finding on any image checked, or `none`. */
  readonly maxSeverity: (typeof SEVERITIES)[number] | 'none';
  readonly rematched: number;
  readonly scanned: number;
  /** CRITICAL/HIGH ids not in the images' stored verdicts, with the images, most widespread first. */
  /** KEV-listed first (`kev`), then the most widespread. */
  readonly newFindings: readonly {
    readonly id: string;
    readonly images: readonly ImageTarget[];
    /** CISA's KEV catalog lists it (absent: it does not, or there was no KEV data). */
    readonly kev?: true;
  }[];
  /**
   * CRITICAL/HIGH ids re-matched images no longer have (fixed, or no longer matched), likewise;
   * absent when none was.
   */
  readonly fixedFindings?: readonly {
    readonly id: string;
    readonly images: readonly ImageTarget[];
  }[];
  readonly verdictChanges: readonly {
    readonly image: ImageTarget;
    readonly from: Decision;
    readonly to: Decision;
  }[];
  /** Up to ten images with CRITICAL/HIGH findings or a failing verdict, worst first. */
  readonly worst: readonly ImageOutcome[];
  readonly failures: readonly ItemFailure[];
  /** What the listing left out: artifacts by kind, and the pipeline's promotion copies. */
  readonly skipped: SkippedItems;
  /** The account's secrets without rotation, overdue, or on the AWS managed key (when checked). */
  readonly secretHygiene?: SecretHygieneReport;
  /**
   * The nightly posture run of the deployed workloads and the registry (shared/posture-run/):
   * its summary, or why it failed; absent when the run had no posture step. (`posture` above is
   * the images' verdicts.)
   */
  readonly runtimePosture?: PostureRunOutcome;
}
