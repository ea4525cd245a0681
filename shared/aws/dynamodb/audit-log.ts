import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import {
  canonicalJson,
  eventDay,
  readLink,
  type ChainData,
  type ChainHeadReader,
  type ChainLink,
  type TrailReader,
} from '../../audit';
import type { AuditEvent, AuditLog } from '../../audit';
import { ChainAppender, type AppendRetry } from './audit-append';
import { ChainTable } from './audit-chain';
import {
  AUDIT_BY_DAY_INDEX,
  AUDIT_BY_DIGEST_INDEX,
  AUDIT_BY_REPOSITORY_INDEX,
  eventKey,
  linkKey,
  storedLink,
} from './audit-items';
import {
  chained,
  chainedByTime,
  eventOf,
  eventsByIndex,
  sortByTime,
  type ChainedEvent,
} from './audit-query';
import type { Item } from './table';
import { awsRequestError } from '..';

export type { ChainedEvent } from './audit-query';
export {
  AUDIT_BY_DAY_INDEX,
  AUDIT_BY_DIGEST_INDEX,
  AUDIT_BY_REPOSITORY_INDEX,
  AUDIT_TABLE_ATTRIBUTES,
  AUDIT_TABLE_INDEXES,
  AUDIT_TABLE_KEY_SCHEMA,
} from './audit-items';

export interface DynamoDbAuditLogProps {
  /** Created once at module scope by the handler. */
  readonly client: DynamoDBClient;
  /** `CLEARANCE_AUDIT_TABLE`. */
  readonly tableName: string;
  /** @default - 50 attempts, backoff from 10 ms doubling to 200 ms, full jitter */
  readonly retry?: AppendRetry;
}

/** Which events `query` lists: of a digest, of a repository, from a day on (combinable). */
export interface AuditQuery {
  readonly digest?: string;
  readonly repository?: string;
  /** `yyyy-mm-dd`: events of that UTC day and later. */
  readonly since?: string;
}

/**
 * The audit trail of the cloud pipeline: a hash chain per UTC day in the audit table
 * (dynamodb-audit-items.ts has the layout, shared/audit/chain.ts the hash). Appending needs
 * GetItem, Query and PutItem only.
 */
export class DynamoDbAuditLog implements AuditLog, ChainHeadReader, TrailReader {
  private readonly table: ChainTable;

  constructor(private readonly props: DynamoDbAuditLogProps) {
    this.table = new ChainTable(props.client, props.tableName);
  }

  /**
   * Appends the events in order, each as the next link of its chain; one whose id is recorded
   * already is skipped. The whole batch is checked first: an event without an id, a parseable
   * time or a canonical JSON form (NaN, a lone surrogate) is a bug and nothing is written.
   */
  async append(events: readonly AuditEvent[]): Promise<void> {
    for (const event of events) {
      eventDay(event);
      canonicalJson(event);
    }
    const appender = new ChainAppender(this.table, this.props.retry);
    for (const event of events) await appender.append(event);
  }

  /** The event recorded under `id`, if any (as chained: its canonical record, read back). */
  async event(id: string): Promise<AuditEvent | undefined> {
    const where = await this.table.get(eventKey(id));
    const chain = where?.chain?.S;
    const seq = Number(where?.seq?.N);
    if (chain === undefined || !Number.isSafeInteger(seq)) return undefined;
    const item = await this.table.get(linkKey(chain, seq));
    return item === undefined ? undefined : eventOf(storedLink(item));
  }

  /** The events of a UTC day (`yyyy-mm-dd`) by their time, in time order (then by id). */
  async eventsOn(day: string): Promise<AuditEvent[]> {
    const { client, tableName } = this.props;
    const lookup = { index: AUDIT_BY_DAY_INDEX, name: 'day', value: day };
    return (await eventsByIndex(client, tableName, lookup)).map((e) => e.event);
  }

  /**
   * Every event, oldest first (then by id): a Scan of the whole table, for the local runner's
   * export and other small tables; the cloud reads a day at a time with {@link eventsOn}.
   */
  async events(): Promise<AuditEvent[]> {
    const { client, tableName } = this.props;
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const command = new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(pk, :chain) AND attribute_exists(id)',
        ExpressionAttributeValues: marshall({ ':chain': 'CHAIN#' }),
        ExclusiveStartKey: start,
      });
      const page = await client.send(command).catch((error: unknown) => {
        throw awsRequestError('DynamoDB Scan', `table ${tableName}`, error);
      });
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return chainedByTime(items).map((e) => e.event);
  }

  /** The events `query` selects, in time order, with their places in the chain. */
  async query(query: AuditQuery): Promise<ChainedEvent[]> {
    const since = query.since;
    const [index, name, value] =
      query.digest !== undefined
        ? [AUDIT_BY_DIGEST_INDEX, 'digest', query.digest]
        : [AUDIT_BY_REPOSITORY_INDEX, 'repository', query.repository];
    const { client, tableName } = this.props;
    const events =
      value !== undefined
        ? await eventsByIndex(client, tableName, { index, name, value, ...(since && { since }) })
        : (await this.trail(since ?? '0000-00-00')).chains.flatMap((c) => c.links.flatMap(chained));
    return sortByTime(events).filter(
      ({ event }) =>
        (since === undefined || eventDay(event) >= since) &&
        (query.repository === undefined || event.image?.repository === query.repository),
    );
  }

  /** The newest link of all (what an anchor records), or undefined when there is none. */
  head(): Promise<ChainLink | undefined> {
    return this.table.head();
  }

  /**
   * The chains to verify: those of `since` and later (every one when undefined) in day order,
   * found by their hints and by the seals that name them, and the last link before them.
   */
  async trail(since?: string): Promise<{ chains: ChainData[]; before?: ChainLink }> {
    const days = new Set(await this.table.hints({ from: since ?? '0' }));
    const first = await this.table.genesis();
    if (first !== undefined && first >= (since ?? '0')) days.add(first);
    const queue = [...days].sort();
    const chains: ChainData[] = [];
    for (let day = queue.shift(); day !== undefined; day = queue.shift()) {
      const links = await this.table.links(day);
      if (links.length > 0) chains.push({ chain: day, links });
      const content = links.length > 0 ? readLink(links.at(-1)!) : undefined;
      if (content?.kind === 'seal' && !days.has(content.seal.next)) {
        days.add(content.seal.next);
        queue.push(content.seal.next);
        queue.sort();
      }
    }
    const before = since === undefined ? undefined : await this.lastBefore(since);
    return { chains, ...(before !== undefined && { before }) };
  }

  /** The last link of the newest chain before `day`. */
  private async lastBefore(day: string): Promise<ChainLink | undefined> {
    for (const hint of await this.table.hints({ upTo: day, limit: 10 })) {
      if (hint >= day) continue;
      const last = await this.table.last(hint);
      if (last !== undefined) return last;
    }
    return undefined;
  }
}
