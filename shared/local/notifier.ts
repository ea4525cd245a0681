import type { Writable } from 'node:stream';
import type { Notification, Notifier } from '../notify';
import { JsonlOutbox } from './jsonl-outbox';

/**
 * The Notifier of `clearance pipeline run`: one short line per notification on `out` (the
 * topic and the subject), and the whole notification as a JSON line appended to the outbox
 * file: both forms SNS would deliver, the text e-mail subscribers get (`body`) and the JSON
 * document every other protocol gets (`document`), with the attributes subscriptions filter
 * on. Idempotent by id, across runs too: an id already in the outbox is neither printed nor
 * written again.
 */
export class LocalNotifier implements Notifier {
  private readonly outbox: JsonlOutbox<Notification>;

  constructor(
    private readonly out: Writable,
    outbox: string,
  ) {
    this.outbox = new JsonlOutbox(outbox);
  }

  publish(notification: Notification): Promise<boolean> {
    return this.outbox.append(
      notification.id,
      () => notification,
      () => this.out.write(`notification to ${notification.topic}: ${notification.subject}\n`),
    );
  }

  /** The notifications in the outbox, oldest first. */
  sent(): Promise<Notification[]> {
    return this.outbox.read();
  }
}
