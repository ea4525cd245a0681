import { EVENT_SOURCE, type ClearanceEvent, type EventPublisher } from '../events';
import { JsonlOutbox } from './jsonl-outbox';

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
  private readonly outbox: JsonlOutbox<OutboxEvent>;

  constructor(
    outbox: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.outbox = new JsonlOutbox(outbox);
  }

  publish(event: ClearanceEvent): Promise<boolean> {
    return this.outbox.append(event.id, () => ({
      id: event.id,
      source: EVENT_SOURCE,
      'detail-type': event.detailType,
      time: event.time ?? this.now().toISOString(),
      resources: event.resources,
      detail: event.detail,
    }));
  }

  /** The events in the outbox, oldest first. */
  published(): Promise<OutboxEvent[]> {
    return this.outbox.read();
  }
}
