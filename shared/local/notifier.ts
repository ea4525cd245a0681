import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import type { Notification, Notifier } from '../notify';

/**
 * The Notifier of `clearance pipeline run`: one short line per notification on `out` (the
 * topic and the subject), and the whole notification as a JSON line appended to the outbox
 * file: both forms SNS would deliver, the text e-mail subscribers get (`body`) and the JSON
 * document every other protocol gets (`document`), with the attributes subscriptions filter
 * on. Idempotent by id, across runs too: an id already in the outbox is neither printed nor
 * written again.
 */
export class LocalNotifier implements Notifier {
  /** Publishes one at a time, so that two of the same id cannot both miss the other. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly out: Writable,
    private readonly outbox: string,
  ) {}

  publish(notification: Notification): Promise<boolean> {
    const published = this.queue.then(() => this.publishNow(notification));
    this.queue = published.catch(() => undefined);
    return published;
  }

  /** The notifications in the outbox, oldest first. */
  async sent(): Promise<Notification[]> {
    let text: string;
    try {
      text = await readFile(this.outbox, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Notification);
  }

  private async publishNow(notification: Notification): Promise<boolean> {
    if ((await this.sent()).some((n) => n.id === notification.id)) return false;
    await mkdir(dirname(this.outbox), { recursive: true });
    await appendFile(this.outbox, `${JSON.stringify(notification)}\n`);
    this.out.write(`notification to ${notification.topic}: ${notification.subject}\n`);
    return true;
  }
}
