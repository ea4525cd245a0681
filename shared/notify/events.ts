import { DETAIL_VERSION, imageResources, type ClearanceEvent } from '../events';
import type { RecordedFailure } from '../pipeline';
import type { NotifiedScan, ObjectLink } from './notified-scan';
import { failureDocument, verdictDocument } from './notification-document';

/*
 * The EventBridge events of Notify: `Clearance Scan Verdict` for every recorded verdict (changed
 * or not, so a deploy pipeline can wait for it), `Clearance Scan Failed` for every failed scan.
 * Their details are the notification documents' content (notification-document.ts) without the
 * notification's own head, plus what only events carry (`changed`, `tags`, `kevCount`); schemas
 * in shared/events/schemas/.
 */

/** `Clearance Scan Verdict`: published once per scan (its id is the scan's). */
export function verdictEvent(scan: NotifiedScan, link: ObjectLink = (k) => k): ClearanceEvent {
  const id = `${scan.scanId}:verdict-event`;
  const {
    $schema: _schema,
    id: _id,
    eventType: _eventType,
    ...document
  } = verdictDocument(scan, { id, eventType: 'verdict.changed' }, link);
  const kev = scan.platforms.map((p) => p.kev);
  return {
    id,
    detailType: 'Clearance Scan Verdict',
    resources: imageResources(scan.image),
    detail: {
      version: DETAIL_VERSION,
      ...document,
      image: { ...document.image, tags: scan.image.tag === undefined ? [] : [scan.image.tag] },
      changed: scan.record.changed,
      // A platform without KEV data makes the image's count unknown: never claim 0 unchecked.
      kevCount: kev.every((n) => n !== undefined) ? Math.max(...kev) : null,
      platforms: document.platforms.map((p, i) => ({ ...p, kevCount: kev[i] ?? null })),
    },
  };
}

/** `Clearance Scan Failed`: published once per failure (its id is RecordFailure's). */
export function failureEvent(failure: RecordedFailure): ClearanceEvent {
  const id = `${failure.id}:failure-event`;
  const {
    $schema: _schema,
    id: _id,
    eventType: _eventType,
    verdict: _verdict,
    maxSeverity: _max,
    ...document
  } = failureDocument(failure, id);
  return {
    id,
    detailType: 'Clearance Scan Failed',
    resources: failure.image ? imageResources(failure.image) : [],
    detail: { version: DETAIL_VERSION, ...document },
  };
}
