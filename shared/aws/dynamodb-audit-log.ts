import {
  QueryCommand,
  ScanCommand,
  type AttributeDefinition,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import type { AuditEvent, AuditLog } from '../pipeline/ports';
import { Table, type Item } from './dynamodb-table';
import { readItem, s, toItem } from './dynamodb-values';
import { AwsError, awsRequestError, tableError } from './errors';

/*
 * The audit table. One item per event, keyed by the event's id:
 *
 *   pk EVENT#<id>   sk EVENT   id, type, time, actor, repository, digest, tag, details (JSON),
 *                              versions (map), day (yyyy-mm-dd, UTC), timeId (<ISO time>#<id>)
 *
 * and a sparse index `byDay` (partition `day`, sort `timeId`, all attributes) that lists a day's
 * events in time order.
 *
 * Why the id is the key: appending an event is one PutItem with `attribute_not_exists(pk)`, so
 * a repeated event (a retried step, whatever time it gives) is skipped atomically; no window
 * exists in which the id is claimed and the event not written, as with a separate uniqueness
 * item beside a `DAY#…`/`<time>#<id>` item. Writers need PutItem only.
 * Issue 7's per-day hash chain grows beside these items without changing them: chain items
 * `CHAIN#<day>`/`SEQ#<n>` (conditional puts of seq+1) that name an event id and hold the hash
 * of its canonical JSON, the events to chain being listed by `byDay`. An edited or deleted event
 * item then breaks its link's hash; a day's events missing from its chain are found by
 * comparing the two.
 */

/** The audit table's key schema, for the CDK table and the tests' CreateTable. */
export const AUDIT_TABLE_KEY_SCHEMA: readonly KeySchemaElement[] = [
  { AttributeName: 'pk', KeyType: 'HASH' },
  { AttributeName: 'sk', KeyType: 'RANGE' },
];
/** The key attributes of the table and of its index. */
export const AUDIT_TABLE_ATTRIBUTES: readonly AttributeDefinition[] = [
  { AttributeName: 'pk', AttributeType: 'S' },
  { AttributeName: 'sk', AttributeType: 'S' },
  { AttributeName: 'day', AttributeType: 'S' },
  { AttributeName: 'timeId', AttributeType: 'S' },
];
export const AUDIT_BY_DAY_INDEX = 'byDay';
/** The table's one global secondary index: a day's events in time order. */
export const AUDIT_TABLE_INDEXES: readonly GlobalSecondaryIndex[] = [
  {
    IndexName: AUDIT_BY_DAY_INDEX,
    KeySchema: [
      { AttributeName: 'day', KeyType: 'HASH' },
      { AttributeName: 'timeId', KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'ALL' },
  },
];

const EVENT_SK = 'EVENT';
const eventKey = (id: string): Item => ({ pk: s(`EVENT#${id}`), sk: s(EVENT_SK) });

const EventItem = z.object({
  id: z.string(),
  type: z.string(),
  time: z.string(),
  actor: z.string(),
  repository: z.string().optional(),
  digest: z.string().optional(),
  tag: z.string().optional(),
  details: z.string(),
  versions: z.record(z.string(), z.string()),
});

export interface DynamoDbAuditLogProps {
  /** Created once at module scope by the handler. */
  readonly client: DynamoDBClient;
  /** `CLEARANCE_AUDIT_TABLE`. */
  readonly tableName: string;
}

/** The AuditLog of the cloud pipeline, on the audit table described above. */
export class DynamoDbAuditLog implements AuditLog {
  private readonly table: Table;

  constructor(private readonly props: DynamoDbAuditLogProps) {
    this.table = new Table(props.client, props.tableName, tableError);
  }

  /** Appends the events in order; one whose id is recorded already is skipped. */
  async append(events: readonly AuditEvent[]): Promise<void> {
    const items = events.map(eventItem);
    for (const item of items)
      await this.table.putIf(item, { expression: 'attribute_not_exists(pk)' });
  }

  /** The event recorded under `id`, if any. */
  async event(id: string): Promise<AuditEvent | undefined> {
    const item = await this.table.get(eventKey(id), true);
    return item === undefined ? undefined : readEvent(item);
  }

  /** The events of a UTC day (`yyyy-mm-dd`), in time order (then by id). */
  async eventsOn(day: string): Promise<AuditEvent[]> {
    const { client, tableName } = this.props;
    const target = `index ${AUDIT_BY_DAY_INDEX} of table ${tableName}`;
    const items = await pages('DynamoDB Query', target, (start) =>
      client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: AUDIT_BY_DAY_INDEX,
          // `day` is a reserved word in expressions.
          KeyConditionExpression: '#day = :day',
          ExpressionAttributeNames: { '#day': 'day' },
          ExpressionAttributeValues: { ':day': s(day) },
          ExclusiveStartKey: start,
        }),
      ),
    );
    return items.map(readEvent);
  }

  /**
   * Every event, oldest first (then by id): a Scan of the whole table, for the local runner's
   * export and other small tables; the cloud reads a day at a time with {@link eventsOn}.
   */
  async events(): Promise<AuditEvent[]> {
    const { client, tableName } = this.props;
    const items = await pages('DynamoDB Scan', `table ${tableName}`, (start) =>
      client.send(
        new ScanCommand({
          TableName: tableName,
          FilterExpression: 'sk = :sk',
          ExpressionAttributeValues: { ':sk': s(EVENT_SK) },
          ExclusiveStartKey: start,
        }),
      ),
    );
    const order = (item: Item) => item.timeId?.S ?? '';
    return items.sort((a, b) => (order(a) < order(b) ? -1 : 1)).map(readEvent);
  }
}

/** Every item of a Query or a Scan, page after page; `call` on `target` names it in a failure. */
async function pages(
  call: string,
  target: string,
  page: (start: Item | undefined) => Promise<{ Items?: Item[]; LastEvaluatedKey?: Item }>,
): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    let output;
    try {
      output = await page(start);
    } catch (error) {
      throw awsRequestError(call, target, error);
    }
    items.push(...(output.Items ?? []));
    start = output.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

/** The event as its item; an event without an id or a parseable time is a bug of its maker. */
function eventItem(event: AuditEvent): Item {
  const ms = Date.parse(event.time);
  if (event.id === '' || Number.isNaN(ms))
    throw new AwsError(
      'INVALID_REQUEST',
      `expected an audit event with an id and an ISO time, got id ${JSON.stringify(event.id)} at ${JSON.stringify(event.time)}`,
      'bug',
    );
  const iso = new Date(ms).toISOString();
  const { id, type, time, actor, image, details, versions } = event;
  return {
    ...eventKey(id),
    ...toItem({ id, type, time, actor, ...image, versions: { ...versions } }),
    ...toItem({ details: JSON.stringify(details), day: iso.slice(0, 10), timeId: `${iso}#${id}` }),
  };
}

function readEvent(item: Item): AuditEvent {
  const { repository, digest, tag, details, ...rest } = readItem(
    EventItem,
    item,
    'an audit event item',
  );
  const image =
    repository === undefined || digest === undefined
      ? undefined
      : { repository, digest, ...(tag !== undefined && { tag }) };
  return {
    ...rest,
    type: rest.type as AuditEvent['type'],
    ...(image !== undefined && { image }),
    details: JSON.parse(details) as Record<string, unknown>,
  };
}
