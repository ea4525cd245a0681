import { imageName } from '../pipeline';
import { MAX_SUBJECT_LENGTH, type ObjectLink } from '../notify';
import type { Notification } from '../notify';
import { fleetDocument } from './digest-document';
import { secretHygieneLines } from './digest-hygiene';
import { runtimePostureLines } from './digest-posture';
import { fleetKeys } from './items';
import type { FleetSummary } from './summary';

export type { ObjectLink };

/** New findings named in the message; the report has them all. */
const LISTED_FINDINGS = 20;
/** Images named per finding. */
const IMAGES_PER_FINDING = 3;
/** Verdict changes and failures named in the message. */
const LISTED_CHANGES = 20;
/** A failure's cause is cut to its first line, this long. */
const CAUSE_LENGTH = 160;

/**
 * The one digest message of a fleet run, to the alerts topic: the fleet's posture, the new
 * CRITICAL/HIGH findings since the last run, the verdicts that changed, the worst images and
 * the failures, and where the full report is; its JSON form in digest-document.ts. Its id is
 * `fleet-<runId>`: a retried Summarize publishes it once.
 */
export function fleetNotification(
  summary: FleetSummary,
  summaryKey: string,
  link: ObjectLink,
): Notification {
  const { posture } = summary;
  const headline = [
    `${posture.fail} fail`,
    `${posture.warn} warn`,
    `${summary.newFindings.length} new critical/high`,
    ...(posture.failed > 0 ? [`${posture.failed} failed`] : []),
  ];
  const id = `fleet-${summary.runId}`;
  const verdict = posture.fail > 0 ? 'fail' : posture.warn > 0 ? 'warn' : 'pass';
  return {
    id,
    topic: 'alerts',
    subject: subjectOf(`[FLEET] ${summary.runId}`, headline),
    body: [
      ...postureLines(summary),
      ...newFindingLines(summary),
      ...changeLines(summary),
      ...worstLines(summary),
      ...failureLines(summary),
      ...secretHygieneLines(summary.secretHygiene),
      ...runtimePostureLines(summary.runtimePosture, link),
      '',
      `Report: ${link(summaryKey)}`,
      `Page (HTML): ${link(fleetKeys(summary.runId).page)}`,
    ].join('\n'),
    document: fleetDocument(summary, { id, verdict }, link(summaryKey)),
    attributes: {
      verdict,
      maxSeverity: summary.maxSeverity,
      repository: 'fleet',
      eventType: 'fleet.summary',
    },
  };
}

function postureLines(summary: FleetSummary): string[] {
  const { runId, generatedAt, posture, rematched, scanned, skipped } = summary;
  const unchecked = [
    ...(posture.needsScan > 0 ? [`${posture.needsScan} not scanned yet`] : []),
    ...(posture.scannedWithoutVerdict > 0
      ? [`${posture.scannedWithoutVerdict} scanned (verdict in the scan's own message)`]
      : []),
    ...(posture.failed > 0 ? [`${posture.failed} failed to check`] : []),
    ...(posture.pending > 0 ? [`${posture.pending} not run`] : []),
  ];
  return [
    `Fleet re-check ${runId} (${generatedAt}): ${posture.images} images`,
    `  pass ${posture.pass}, warn ${posture.warn}, fail ${posture.fail}${unchecked.length > 0 ? `; ${unchecked.join(', ')}` : ''}`,
    `  ${rematched} re-matched against current vulnerability data without pulling, ${scanned} scanned for the first time`,
    ...skippedLines(skipped),
  ];
}

/** What was not re-checked and why: not images, or the pipeline's own copies. */
function skippedLines({ artifacts, promotionCopies }: FleetSummary['skipped']): string[] {
  const kinds = Object.entries(artifacts)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .map(([kind, n]) => `${n} ${kind}`);
  return [
    ...(kinds.length > 0 ? [`  not images, not re-checked: ${kinds.join(', ')}`] : []),
    ...(promotionCopies > 0
      ? [`  ${promotionCopies} promotion copies, checked under the repository they were pushed to`]
      : []),
  ];
}

function newFindingLines({ newFindings }: FleetSummary): string[] {
  if (newFindings.length === 0) return ['', 'No new critical/high findings since the last run.'];
  return [
    '',
    `New critical/high findings since the last run (${newFindings.length})`,
    ...newFindings.slice(0, LISTED_FINDINGS).map(({ id, images, kev }) => {
      const named = images.slice(0, IMAGES_PER_FINDING).map(imageName).join(', ');
      const more =
        images.length > IMAGES_PER_FINDING ? ` and ${images.length - IMAGES_PER_FINDING} more` : '';
      const exploited = kev ? '  (in CISA KEV)' : '';
      return `  ${id}${exploited}  ${images.length === 1 ? '1 image' : `${images.length} images`}: ${named}${more}`;
    }),
    ...moreLine(newFindings.length, LISTED_FINDINGS),
  ];
}

function changeLines({ verdictChanges }: FleetSummary): string[] {
  if (verdictChanges.length === 0) return [];
  return [
    '',
    `Verdicts changed (${verdictChanges.length})`,
    ...verdictChanges
      .slice(0, LISTED_CHANGES)
      .map((c) => `  ${imageName(c.image)}  ${c.from} -> ${c.to}`),
    ...moreLine(verdictChanges.length, LISTED_CHANGES),
  ];
}

function worstLines({ worst }: FleetSummary): string[] {
  if (worst.length === 0) return [];
  return [
    '',
    'Worst images',
    ...worst.map(
      (o, i) =>
        `  ${String(i + 1).padStart(2)}. ${imageName(o.image)}  ${o.decision.toUpperCase()}  ${o.counts.critical} critical, ${o.counts.high} high`,
    ),
  ];
}

function failureLines({ failures, posture }: FleetSummary): string[] {
  if (failures.length === 0) return [];
  return [
    '',
    `Images that could not be checked (${posture.failed})`,
    ...failures.slice(0, LISTED_CHANGES).map((f) => {
      const cause = f.cause.split('\n')[0]!.slice(0, CAUSE_LENGTH);
      return `  ${f.image === null ? 'unknown image' : imageName(f.image)}  ${f.error}${cause === '' ? '' : `: ${cause}`}`;
    }),
    ...moreLine(posture.failed, LISTED_CHANGES),
  ];
}

function moreLine(total: number, listed: number): string[] {
  return total > listed ? [`  … and ${total - listed} more in the report`] : [];
}

/** `prefix - part, part, …` in ASCII within SNS's subject limit, dropping trailing parts to fit. */
function subjectOf(prefix: string, parts: readonly string[]): string {
  const ascii = (s: string) => s.replace(/[^\x20-\x7e]/g, '?');
  for (let kept = parts.length; kept > 0; kept--) {
    const subject = ascii(`${prefix} - ${parts.slice(0, kept).join(', ')}`);
    if (subject.length <= MAX_SUBJECT_LENGTH) return subject;
  }
  return ascii(prefix).slice(0, MAX_SUBJECT_LENGTH);
}
