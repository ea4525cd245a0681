import { z } from 'zod';
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
}

/** Notify's output: the notification's id, and whether this call sent it (false: sent before). */
export interface NotifyResult {
  readonly id: string;
  readonly topic: 'alerts' | 'operations';
  readonly sent: boolean;
}

/** The Notify and NotifyOperations states: a verdict to the alerts topic, a failure to operations. */
export const NOTIFY_STEP = stepBinding('Notify', NotifyInput, notify);

/**
 * The Notify step: a verdict to the alerts topic, a failure to the operations topic. The
 * notification's id is the scan's (or the failure's) and its kind, so a retried step, or a
 * redriven execution, never sends it twice.
 */
export async function notify(input: NotifyInput, deps: NotifyDeps): Promise<NotifyResult> {
  const notification =
    input.kind === 'verdict'
      ? verdictNotification(input.scan, deps.link)
      : failureNotification(input.failure);
  const sent = await deps.notifier.publish(notification);
  return { id: notification.id, topic: notification.topic, sent };
}
