import { imageName, imageReference } from '../pipeline';
import type { Notification } from './notifier';
import type { RecordedFailure } from '../pipeline';
import {
  aboutTheScan,
  actionLines,
  exceptionLines,
  findingLines,
  gapLines,
  newFindingLines,
  platformLines,
  reportLines,
  triggerText,
} from './message-sections';
import { failureDocument, verdictDocument, type VerdictDocument } from './notification-document';
import { headlineParts, maxSeverity, verdictHeadline } from '../pipeline';
import { adviceOnFailure, adviceOnVerdict } from './message-advice';
import type { NotifiedScan, ObjectLink } from './notified-scan';

export type { NotifiedScan, ObjectLink };

/*
 * The texts of the notifications people read in an e-mail client: a subject that says the
 * verdict, the image and the worst of it; a body with why they are told, the top findings with
 * their fixes, the failed checks and rules, what to do and where the full reports are; and the
 * same as a JSON document for machines (notification-document.ts). Secrets appear as counts
 * only: the evaluated platforms carry no value to leak.
 */

/**
 * Subjects are ASCII and under 100 characters. SNS's Publish reference said "Subjects must be
 * ASCII text that begins with a letter, number, or punctuation mark; must not include line
 * breaks or control characters; and must be less than 100 characters long"; its current text
 * says UTF-8, but SNS's own receiver in Amazon Managed Prometheus still replaces a subject with
 * non-ASCII characters by an error text, and mail clients show RFC 2047 encoded subjects
 * unevenly. So the issue's `[FAIL] payments/api:1.4.2 — 2 critical, secret found` is written
 * with ` - ` for its em dash, and any other non-ASCII character becomes `?`.
 * https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 * https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-alertmanager-receiver-validation-truncation.html
 */
export const MAX_SUBJECT_LENGTH = 99;

/** The notification of a recorded verdict, to the alerts topic. */
export function verdictNotification(scan: NotifiedScan, link: ObjectLink = (k) => k): Notification {
  const { decision } = scan.record;
  const id = `${scan.scanId}:verdict`;
  const eventType = eventTypeOf(scan.record);
  return {
    id,
    topic: 'alerts',
    subject: subjectOf(`[${decision.toUpperCase()}] ${imageName(scan.image)}`, subjectParts(scan)),
    body: verdictBody(scan, link),
    document: verdictDocument(scan, { id, eventType }, link),
    attributes: {
      verdict: decision,
      maxSeverity: maxSeverity(scan.platforms),
      repository: scan.image.repository,
      eventType,
    },
  };
}

/** The notification of a failed scan, to the operations topic. */
export function failureNotification(failure: RecordedFailure): Notification {
  const name = failure.image ? imageName(failure.image) : 'an unknown image';
  const id = `${failure.id}:failure`;
  return {
    id,
    topic: 'operations',
    subject: subjectOf(`[ERROR] ${failure.image ? name : 'unknown image'}`, [
      `scan failed: ${failure.error.Error}`,
    ]),
    body: [
      `Scan failed: ${name}`,
      'The scan did not finish: what it had not done yet (the verdict, the promotion or quarantine, the alert) is not done.',
      '',
      `Image:    ${failure.image ? imageReference(failure.image) : 'not known (the input did not name one)'}`,
      `Trigger:  ${failure.trigger ? triggerText(failure.trigger) : 'not known'}`,
      `Scan:     ${failure.scanId ?? 'none yet (the failure came before the scan had an id)'}`,
      `Error:    ${failure.error.Error}`,
      `Cause:    ${failure.error.Cause ?? ''}`,
      '',
      'What to do',
      ...adviceOnFailure(failure.error.Error).map((line) => `  - ${line}`),
    ].join('\n'),
    document: failureDocument(failure, id),
    attributes: {
      verdict: 'error',
      maxSeverity: 'none',
      repository: failure.image?.repository ?? 'unknown',
      eventType: 'scan.failed',
    },
  };
}

function verdictBody(scan: NotifiedScan, link: ObjectLink): string {
  const { decision, reasons } = scan.record;
  return [
    `${decision.toUpperCase()}: ${imageName(scan.image)}`,
    verdictHeadline(scan.platforms),
    '',
    ...(reasons.length > 0 ? [`Why you get this: ${reasons.join('; ')}`, ''] : []),
    ...aboutTheScan(scan),
    '',
    ...platformLines(scan.platforms),
    ...gapLines(scan.platforms),
    ...newFindingLines(scan.record),
    ...findingLines(scan.platforms),
    ...exceptionLines(scan.platforms),
    ...actionLines(scan),
    '',
    'What to do',
    ...adviceOnVerdict(scan).map((line) => `  - ${line}`),
    '',
    ...reportLines(scan, link),
  ].join('\n');
}

/**
 * `verdict.changed` when the decision is another than the last scan's (or a first scan's),
 * `findings.new` when only new CRITICAL/HIGH findings are why people are told.
 */
function eventTypeOf(record: NotifiedScan['record']): VerdictDocument['eventType'] {
  const { previousDecision, decision, newSevereFindings } = record;
  // Same decision as before (a first scan's previousDecision is null, never equal).
  return previousDecision === decision && newSevereFindings.length > 0
    ? 'findings.new'
    : 'verdict.changed';
}

/**
 * The subject's parts after the image, most telling first (the last are dropped to fit):
 * new findings or a fix, the worst counts, a secret, failed rules and checks, what it was.
 */
function subjectParts(scan: NotifiedScan): string[] {
  const { decision, previousDecision, newSevereFindings } = scan.record;
  const headline = headlineParts(scan.platforms);
  if (previousDecision === undefined || previousDecision === null) return headline;
  if (previousDecision === decision)
    return newSevereFindings.length > 0
      ? [`${newSevereFindings.length} new critical/high`, ...headline]
      : headline;
  const was = previousDecision.toUpperCase();
  return decision === 'pass' ? [`fixed (was ${was})`, ...headline] : [...headline, `was ${was}`];
}

/** `prefix - part, part, …` in ASCII, dropping trailing parts (then cutting) to fit. */
function subjectOf(prefix: string, parts: readonly string[]): string {
  const ascii = (s: string) => s.replace(/[^\x20-\x7e]/g, '?');
  let kept = parts.length;
  let subject = ascii(`${prefix} - ${parts.join(', ')}`);
  while (subject.length > MAX_SUBJECT_LENGTH && kept > 1)
    subject = ascii(`${prefix} - ${parts.slice(0, --kept).join(', ')}`);
  return subject.length <= MAX_SUBJECT_LENGTH
    ? subject
    : `${subject.slice(0, MAX_SUBJECT_LENGTH - 3)}...`;
}
