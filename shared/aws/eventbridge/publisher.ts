import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  PutEventsCommand,
  type EventBridgeClient,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import type { Clock } from '../../core';
import { EVENT_SOURCE, type ClearanceEvent, type EventPublisher } from '../../events';
import { DynamoDbClaims } from '../dynamodb';
import { AwsError, awsRequestError } from '..';

export interface EventBridgePublisherProps {
  /** Created once at module scope by the handler. */
  readonly client: EventBridgeClient;
  readonly dynamodb: DynamoDBClient;
  /** `CLEARANCE_IDEMPOTENCY_TABLE`: where each event id is claimed. */
  readonly idempotencyTable: string;
  /**
   * `CLEARANCE_EVENT_BUS`: the bus's name or ARN.
   * @default 'default'
   */
  readonly eventBus?: string;
  /**
   * Puts of an entry that PutEvents answered with a retryable `ErrorCode` (throttling, its own
   * failure), before the step fails transient and Step Functions retries it.
   * @default 3
   */
  readonly attempts?: number;
  /** @default - 100 ms, doubled each attempt */
  readonly backoffMs?: number;
  /** @default 60 seconds (as the notifier's: shorter than the Step Functions retries) */
  readonly claimTimeoutSeconds?: number;
  /** @default 30 days */
  readonly retentionDays?: number;
  /** @default - the system clock */
  readonly now?: Clock;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** An entry's `ErrorCode`s that a later put may mend (PutEventsResultEntry's reference). */
const RETRYABLE_ENTRY = /Throttl|Internal|ServiceUnavailable/;
/** Entries we built wrong. */
const MALFORMED_ENTRY = /Malformed|InvalidArgument|Validation/;
/** PutEvents: an entry (detail, detail-type, source, resources) is at most 256 KiB. */
const MAX_ENTRY_BYTES = 262_144;

/**
 * The EventPublisher of the cloud: PutEvents to the default bus, each event once. As the SNS
 * notifier (shared/aws/sns/notifier.ts): claim the event's id in the idempotency table
 * (`EVENT#<id>`), put, mark the claim done with EventBridge's event id; a repeated id is not put
 * again (false). PutEvents answers 200 with `FailedEntryCount` when an entry was refused: a
 * retryable `ErrorCode` (throttling, internal) is put again with backoff, then fails transient;
 * any other (a malformed detail, access denied) fails at once. Either way the claim is released,
 * so the next attempt puts it. EventBridge itself has no de-duplication: a consumer that must
 * never see one twice keys on `detail`'s scan or event ids, as `id` differs per put.
 */
export class EventBridgePublisher implements EventPublisher {
  private readonly claims: DynamoDbClaims;

  constructor(private readonly props: EventBridgePublisherProps) {
    this.claims = new DynamoDbClaims({
      client: props.dynamodb,
      tableName: props.idempotencyTable,
      staleAfterMs: (props.claimTimeoutSeconds ?? 60) * 1000,
      retentionMs: (props.retentionDays ?? 30) * DAY_MS,
      now: props.now,
    });
  }

  async publish(event: ClearanceEvent): Promise<boolean> {
    // Made first: an entry EventBridge would refuse claims nothing.
    const command = putEventsCommand(event, this.props.eventBus ?? 'default');
    const pk = `EVENT#${event.id}`;
    const claim = await this.claims.claim(pk);
    if (claim.state === 'done') return false;
    if (claim.state === 'busy')
      throw new AwsError(
        'NOTIFICATION_IN_FLIGHT',
        `event ${event.id} was claimed at ${claim.claimedAt.toISOString()} by an attempt that has not put it yet`,
        'transient',
      );
    let eventId: string;
    try {
      eventId = await this.put(command, event);
    } catch (error) {
      await this.claims.release(pk, claim.token).catch(() => undefined);
      throw error;
    }
    await this.claims.complete(pk, claim.token, eventId).catch(() => false);
    return true;
  }

  /** Puts the one entry, again while its refusal is retryable; EventBridge's event id. */
  private async put(command: PutEventsCommand, event: ClearanceEvent): Promise<string> {
    const attempts = this.props.attempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      let entry: PutEventsResultEntry | undefined;
      try {
        entry = (await this.props.client.send(command)).Entries?.[0];
      } catch (error) {
        throw awsRequestError('EventBridge PutEvents', `${event.detailType} ${event.id}`, error);
      }
      if (entry?.EventId !== undefined && entry.ErrorCode === undefined) return entry.EventId;
      const code = entry?.ErrorCode ?? 'NoEntry';
      const kind = entryErrorKind(code);
      if (kind !== 'transient' || attempt >= attempts)
        throw new AwsError(
          'AWS_REQUEST_FAILED',
          `EventBridge PutEvents refused ${event.detailType} ${event.id} (attempt ${attempt}): ${code}: ${entry?.ErrorMessage ?? 'no entry in the answer'}`,
          kind,
        );
      await sleep((this.props.backoffMs ?? 100) * 2 ** (attempt - 1));
    }
  }
}

/** The PutEvents request of one event; one over EventBridge's entry size is a bug of its maker. */
export function putEventsCommand(event: ClearanceEvent, eventBus: string): PutEventsCommand {
  const entry = {
    Source: EVENT_SOURCE,
    DetailType: event.detailType,
    Detail: JSON.stringify(event.detail),
    Resources: [...event.resources],
    EventBusName: eventBus,
    ...(event.time !== undefined && { Time: new Date(event.time) }),
  };
  const size =
    Buffer.byteLength(entry.Detail) +
    Buffer.byteLength(entry.DetailType) +
    Buffer.byteLength(entry.Source) +
    entry.Resources.reduce((n, r) => n + Buffer.byteLength(r), 0);
  if (size > MAX_ENTRY_BYTES)
    throw new AwsError(
      'INVALID_REQUEST',
      `event ${event.id} is ${size} bytes; PutEvents takes at most ${MAX_ENTRY_BYTES} an entry`,
      'bug',
    );
  return new PutEventsCommand({ Entries: [entry] });
}

/** A refused entry: transient when retryable, bug when we built it wrong, input otherwise (access). */
function entryErrorKind(code: string): 'transient' | 'bug' | 'input' {
  if (RETRYABLE_ENTRY.test(code) || code === 'NoEntry') return 'transient';
  return MALFORMED_ENTRY.test(code) ? 'bug' : 'input';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The publisher of a function's environment: none when `CLEARANCE_EVENT_BUS` is unset
 * (`publishEvents: false`), or when no idempotency table is there to put each event once.
 */
export function eventPublisherOf(props: {
  readonly eventBus: string | undefined;
  readonly idempotencyTable: string | undefined;
  readonly client: () => EventBridgeClient;
  readonly dynamodb: DynamoDBClient;
}): EventBridgePublisher | undefined {
  const { eventBus, idempotencyTable, dynamodb } = props;
  if (eventBus === undefined || idempotencyTable === undefined) return undefined;
  return new EventBridgePublisher({ client: props.client(), dynamodb, idempotencyTable, eventBus });
}
