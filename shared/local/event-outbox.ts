import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EVENT_SOURCE, type ClearanceEvent, type EventPublisher } from '../events';

/** One line of the events outbox: the event as EventBridge would deliver it, with its id. */
export interface OutboxEvent {
  readonly id: string;
  readonly source: typeof EVENT_SOURCE;
  readonly 'detail-type': ClearanceEvent['detailType'];
  readonly time: string;
  readonly resources: readonly string[];
  readonly detail: ClearanceEvent['detail'];
}

/**
 * The EventPublisher of `clearance pipeline run` (when the template has `publishEvents`): each
 * event as a JSON line appended to `events.jsonl`, in the form a rule's target receives it.
 * Idempotent by id, across runs too, as the cloud's claims are.
 */
export class LocalEventPublisher implements EventPublisher {
  /** One at a time, so that two of the same id cannot both miss the other. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly outbox: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  publish(event: ClearanceEvent): Promise<boolean> {
    const published = this.queue.then(() => this.publishNow(event));
    this.queue = published.catch(() => undefined);
    return published;
  }

  /** The events in the outbox, oldest first. */
  async published(): Promise<OutboxEvent[]> {
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
      .map((line) => JSON.parse(line) as OutboxEvent);
  }

  private async publishNow(event: ClearanceEvent): Promise<boolean> {
    if ((await this.published()).some((e) => e.id === event.id)) return false;
    const line: OutboxEvent = {
      id: event.id,
      source: EVENT_SOURCE,
      'detail-type': event.detailType,
      time: event.time ?? this.now().toISOString(),
      resources: event.resources,
      detail: event.detail,
    };
    await mkdir(dirname(this.outbox), { recursive: true });
    await appendFile(this.outbox, `${JSON.stringify(line)}\n`);
    return true;
  }
}
