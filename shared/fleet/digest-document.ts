import {
  NOTIFICATION_SCHEMA,
  documentImage,
  type DocumentHead,
  type DocumentImage,
} from '../notify';
import type { Decision, SeverityCounts } from '../pipeline';
import type { PostureRunOutcome } from '../posture-run';
import type { FleetSummary } from './summary';

/*
 * The fleet digest's JSON form: the run's posture and, capped so that the message stays far
 * below SNS's 256 KB, the new findings, verdict changes, worst images and failures. The run's
 * report (`report`) has them all; each list's total says how many there are.
 */

/** The JSON form of a fleet run's digest (notification.schema.json, `fleet`). */
export interface FleetDocument extends DocumentHead {
  readonly eventType: 'fleet.summary';
  readonly verdict: Decision;
  readonly runId: string;
  readonly generatedAt: string;
  readonly posture: Readonly<Record<string, number>>;
  readonly rematched: number;
  readonly scanned: number;
  /**
   * The first new CRITICAL/HIGH findings, those in CISA's KEV catalog first, then the most
   * widespread (`newFindingsTotal` of them in all).
   */
  readonly newFindings: readonly {
    readonly id: string;
    readonly imageCount: number;
    readonly images: readonly DocumentImage[];
    /** CISA's KEV catalog lists it. */
    readonly kev?: true;
  }[];
  readonly newFindingsTotal: number;
  readonly verdictChanges: readonly {
    readonly image: DocumentImage;
    readonly from: Decision;
    readonly to: Decision;
  }[];
  readonly verdictChangesTotal: number;
  readonly worst: readonly {
    readonly image: DocumentImage;
    readonly decision: Decision;
    readonly counts: SeverityCounts;
  }[];
  readonly failures: readonly {
    readonly image: DocumentImage | null;
    readonly error: string;
    readonly cause: string;
  }[];
  readonly failuresTotal: number;
  /** What the listing left out: artifacts by kind, the pipeline's promotion copies. */
  readonly skipped: FleetSummary['skipped'];
  /** Where the run's full report is. */
  readonly report: string;
  /** The posture run of the deployed workloads and the registry (its lists capped), when there was one. */
  readonly runtimePosture?: PostureRunOutcome;
}

/** New findings listed, and images named per finding. */
const LISTED_FINDINGS = 50;
const IMAGES_PER_FINDING = 10;
/** Verdict changes and failures listed. */
const LISTED_CHANGES = 50;
/** A failure's cause is cut to this many characters. */
const CAUSE_LENGTH = 500;

/** The JSON form of the digest of a fleet run. */
export function fleetDocument(
  summary: FleetSummary,
  head: Pick<FleetDocument, 'id' | 'verdict'>,
  report: string,
): FleetDocument {
  return {
    $schema: NOTIFICATION_SCHEMA,
    id: head.id,
    eventType: 'fleet.summary',
    verdict: head.verdict,
    maxSeverity: summary.maxSeverity,
    runId: summary.runId,
    generatedAt: summary.generatedAt,
    posture: { ...summary.posture },
    rematched: summary.rematched,
    scanned: summary.scanned,
    newFindings: summary.newFindings.slice(0, LISTED_FINDINGS).map(({ id, images, kev }) => ({
      id,
      imageCount: images.length,
      images: images.slice(0, IMAGES_PER_FINDING).map(documentImage),
      ...(kev && { kev }),
    })),
    newFindingsTotal: summary.newFindings.length,
    verdictChanges: summary.verdictChanges
      .slice(0, LISTED_CHANGES)
      .map(({ image, from, to }) => ({ image: documentImage(image), from, to })),
    verdictChangesTotal: summary.verdictChanges.length,
    worst: summary.worst.map(({ image, decision, counts }) => ({
      image: documentImage(image),
      decision,
      counts,
    })),
    failures: summary.failures.slice(0, LISTED_CHANGES).map((f) => ({
      image: f.image === null ? null : documentImage(f.image),
      error: f.error,
      cause: f.cause.slice(0, CAUSE_LENGTH),
    })),
    failuresTotal: summary.posture.failed,
    skipped: summary.skipped,
    report,
    ...(summary.runtimePosture && { runtimePosture: summary.runtimePosture }),
  };
}
