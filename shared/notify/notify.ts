import { z } from 'zod';
import type { EventPublisher } from '../events';
import { failureEvent, verdictEvent } from './events';
import { failureNotification, verdictNotification, type ObjectLink } from './messages';
import type { Notifier } from './notifier';
import { PromotionResult } from '../pipeline';
import { QuarantineResult } from '../pipeline';
import { RecordedFailure } from '../pipeline';
import { RecordedScan } from '../pipeline';
import { stepBinding } from '../pipeline';

/**
 * Notify's input: `{kind: "verdict", scan.$: "$"}` after a changed verdict (the whole state,
 * with what Promote or Quarantine did), or `{kind: "failure", failure.$: "$.failure"}` from
 * NotifyOperations after RecordFailure.
 */
export const NotifyInput = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('verdict'),
    scan: RecordedScan.extend({
      promotion: PromotionResult.optional(),
      quarantine: QuarantineResult.optional(),
    }),
  }),
  z.object({ kind: z.literal('failure'), failure: RecordedFailure }),
]);
export type NotifyInput = z.infer<typeof NotifyInput>;

export interface NotifyDeps {
  readonly notifier: Notifier;
  /**
   * How a message names the objects it points to.
   * @default - the object key itself
   */
  readonly link?: ObjectLink;
  /**
   * Where `Clearance Scan Verdict` and `Clearance Scan Failed` go (the account's default bus).
   * @default - no events (`publishEvents: false`)
   */
  readonly events?: EventPublisher;
}

/** Notify's output: the notification's id, and whether this call sent it (false: sent before). */
export interface NotifyResult {
  readonly id: string;
  readonly topic: 'alerts' | 'operations';
  readonly sent: boolean;
  /** Whether this call put the EventBridge event (absent: events are off). */
  readonly published?: boolean;
}

/** The Notify and NotifyOperations states: a verdict to the alerts topic, a failure to operations. */
export const NOTIFY_STEP = stepBinding('Notify', NotifyInput, notify);

/**
 * The Notify step: a verdict to the alerts topic when it changed (ScanImage runs Notify for an
 * unchanged verdict only when events are on), a failure to the operations topic; and the
 * verdict's or failure's event to the bus. The notification's and the event's ids are the
 * scan's (or the failure's) and their kind, so a retried step, or a redriven execution, never
 * sends either twice. The event goes first: a deploy pipeline waiting for it is not held up by
 * an alert that fails.
 */
export async function notify(input: NotifyInput, deps: NotifyDeps): Promise<NotifyResult> {
  const event =
    deps.events &&
    (input.kind === 'verdict' ? verdictEvent(input.scan, deps.link) : failureEvent(input.failure));
  const published = event && (await deps.events?.publish(event));
  const notification =
    input.kind === 'verdict'
      ? verdictNotification(input.scan, deps.link)
      : failureNotification(input.failure);
  const tell = input.kind === 'failure' || input.scan.record.changed;
  const sent = tell && (await deps.notifier.publish(notification));
  return {
    id: notification.id,
    topic: notification.topic,
    sent,
    ...(published !== undefined && { published }),
  };
}
