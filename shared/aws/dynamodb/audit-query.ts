import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { readLink, type ChainLink, type StoredLink } from '../../audit';
import type { AuditEvent } from '../../audit';
import { queryPages } from './audit-chain';
import { storedLink } from './audit-items';
import type { Item } from './table';

/** An event and its place in the chain. */
export interface ChainedEvent {
  readonly chain: string;
  readonly seq: number;
  readonly hash: string;
  readonly event: AuditEvent;
}

/**
 * The events whose `name` attribute is `value` in index `index` (byDay, byDigest,
 * byRepository), from day `since` on, in time order.
 */
export async function eventsByIndex(
  client: DynamoDBClient,
  tableName: string,
  lookup: { index: string; name: string; value: string; since?: string },
): Promise<ChainedEvent[]> {
  const { index, name, value, since } = lookup;
  const items = await queryPages(
    client,
    {
      TableName: tableName,
      IndexName: index,
      // `day` is a reserved word in expressions.
      KeyConditionExpression: `#key = :value${since === undefined ? '' : ' AND timeId >= :since'}`,
      ExpressionAttributeNames: { '#key': name },
      ExpressionAttributeValues: marshall({
        ':value': value,
        ...(since !== undefined && { ':since': since }),
      }),
    },
    `index ${index} of table ${tableName}`,
  );
  return chainedByTime(items);
}

export function chainedByTime(items: readonly Item[]): ChainedEvent[] {
  return sortByTime(items.map(storedLink).flatMap(chained));
}

export function chained(link: StoredLink): ChainedEvent[] {
  const event = eventOf(link);
  return event === undefined ? [] : [{ chain: link.chain, seq: link.seq, hash: link.hash, event }];
}

export function eventOf(link: ChainLink): AuditEvent | undefined {
  const content = readLink(link);
  return content.kind === 'event' ? content.event : undefined;
}

/** By time (UTC), then by id: the indexes' own order. */
export function sortByTime(events: ChainedEvent[]): ChainedEvent[] {
  const key = ({ event }: ChainedEvent) =>
    `${new Date(Date.parse(event.time)).toISOString()}#${event.id}`;
  return events.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
