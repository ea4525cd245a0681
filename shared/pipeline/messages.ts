import { imageName, imageReference } from './image-names';
import type { Notification } from './ports';
import type { PromotionResult } from './promote';
import type { QuarantineResult } from './quarantine';
import type { RecordedFailure } from './record-failure';
import {
  aboutTheScan,
  actionLines,
  findingLines,
  platformLines,
  reportLines,
  triggerText,
} from './message-sections';
import type { RecordedScan } from './steps';
import { headlineParts, maxSeverity, verdictHeadline } from './verdict-facts';
import { adviceOnFailure, adviceOnVerdict } from './message-advice';

/*
 * The texts of the notifications people read in an e-mail client: a subject that says the
 * verdict, the image and the worst of it; a body with why they are told, the top findings with
 * their fixes, the failed checks and rules, what to do and where the full reports are. Secrets
 * appear as counts only: the evaluated platforms carry no value to leak.
 */

/** The state Notify reads: the recorded scan, and what Promote or Quarantine did to it. */
export type NotifiedScan = RecordedScan & {
  readonly promotion?: PromotionResult;
  readonly quarantine?: QuarantineResult;
};

/** Where people open an object of the store: `s3://bucket/key` in the cloud, a path locally. */
export type ObjectLink = (key: string) => string;

/**
 * SNS takes subjects of ASCII text shorter than 100 characters; longer ones fail the publish.
 * So the subject's separator is ` - ` (the em dash is not ASCII).
 */
export const MAX_SUBJECT_LENGTH = 99;

/** The notification of a recorded verdict, to the alerts topic. */
export function verdictNotification(scan: NotifiedScan, link: ObjectLink = (k) => k): Notification {
  const { decision } = scan.record;
  const headline = verdictHeadline(scan.platforms);
  return {
    id: `${scan.scanId}:verdict`,
    topic: 'alerts',
    subject: subjectOf(
      `[${decision.toUpperCase()}] ${imageName(scan.image)}`,
      headlineParts(scan.platforms),
    ),
    body: [
      `${decision.toUpperCase()}: ${imageName(scan.image)}`,
      headline,
      '',
      ...(scan.record.reasons.length > 0
        ? [`Why you get this: ${scan.record.reasons.join('; ')}`, '']
        : []),
      ...aboutTheScan(scan),
      '',
      ...platformLines(scan.platforms),
      ...findingLines(scan.platforms),
      ...actionLines(scan),
      '',
      'What to do',
      ...adviceOnVerdict(scan).map((line) => `  - ${line}`),
      '',
      ...reportLines(scan, link),
    ].join('\n'),
    attributes: {
      verdict: decision,
      maxSeverity: maxSeverity(scan.platforms),
      repository: scan.image.repository,
      eventType: 'verdict.changed',
    },
  };
}

/** The notification of a failed scan, to the operations topic. */
export function failureNotification(failure: RecordedFailure): Notification {
  const name = failure.image ? imageName(failure.image) : 'an unknown image';
  return {
    id: `${failure.id}:failure`,
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
    attributes: {
      verdict: 'error',
      maxSeverity: 'none',
      repository: failure.image?.repository ?? 'unknown',
      eventType: 'scan.failed',
    },
  };
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
