import {
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type DynamoDBClient,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { GENESIS_HASH, readLink, type ChainLink, type StoredLink } from '../../audit';
import { AuditError } from '../../audit';
import { CHAINS_PK, GENESIS_SK, chainPk, storedLink } from './audit-items';
import type { Item } from './table';
import { awsErrorName, awsRequestError } from '..';

/** Where the next link goes: the open chain, its next sequence number, the hash it chains from. */
export interface Position {
  readonly chain: string;
  readonly seq: number;
  readonly prevHash: string;
  /** The chain's last link; undefined when the chain has none yet. */
  readonly head?: ChainLink;
  /** The newest link of all: the head, or the seal that named this chain (undefined at genesis). */
  readonly newest?: ChainLink;
  /** No chain exists at all: the first link must claim GENESIS first. */
  readonly genesis?: true;
}

/** Hints read per look-up before falling back to the first chain and its seals. */
const HINTS_READ = 5;
/** Seals followed in one look-up: more means a chain per day over years without hints. */
const MAX_HOPS = 10_000;

/**
 * The chain as the audit table stores it, read and written with the calls a writer is granted:
 * GetItem, Query and conditional PutItem, never UpdateItem or DeleteItem.
 */
export class ChainTable {
  constructor(
    private readonly client: DynamoDBClient,
    readonly tableName: string,
  ) {}

  /** The last link of `chain`, read consistently. */
  async last(chain: string): Promise<StoredLink | undefined> {
    const [item] = await this.query({ pk: chainPk(chain), descending: true, limit: 1 });
    return item === undefined ? undefined : storedLink(item);
  }

  /** Every link of `chain`, in sequence order. */
  async links(chain: string): Promise<StoredLink[]> {
    return (await this.query({ pk: chainPk(chain) })).map(storedLink);
  }

  /**
   * Days of opened chains: from `from` on (ascending), or up to `upTo` (descending, at most
   * `limit`).
   */
  async hints(range: { from?: string; upTo?: string; limit?: number }): Promise<string[]> {
    const items = await this.query({
      pk: CHAINS_PK,
      ...(range.upTo !== undefined
        ? { skBetween: ['0', range.upTo], descending: true }
        : { skBetween: [range.from ?? '0', '9'] }),
      ...(range.limit !== undefined && { limit: range.limit }),
    });
    return items.map((item) => item.sk?.S ?? '');
  }

  /** The first chain of all, if one was ever opened. */
  async genesis(): Promise<string | undefined> {
    const item = await this.get(marshall({ pk: CHAINS_PK, sk: GENESIS_SK }));
    return item?.chain?.S;
  }

  /**
   * Where the next link for an event of `day` goes: the day's chain when it is open, the newest
   * chain when it is later (the event is late), or the day's chain to be opened after sealing
   * the newest one (see DynamoDbAuditLog's append).
   */
  async locate(day: string): Promise<Position> {
    const own = await this.last(day);
    if (own !== undefined) return this.follow(day, own);
    for (const hint of await this.hints({ upTo: day, limit: HINTS_READ })) {
      const head = hint === day ? undefined : await this.last(hint);
      if (head !== undefined) return this.follow(hint, head);
    }
    const first = await this.genesis();
    if (first === undefined) return { chain: day, seq: 1, prevHash: GENESIS_HASH, genesis: true };
    return this.follow(first, await this.last(first));
  }

  /** The newest link of all, or undefined when the table holds none. */
  async head(): Promise<ChainLink | undefined> {
    return (await this.locate('9999-12-31')).newest;
  }

  /** From `chain` (whose last link is `head`) along the seals to the open chain. */
  private async follow(chain: string, head: ChainLink | undefined): Promise<Position> {
    let position = positionAfter(chain, head, head);
    for (let hops = 0; hops < MAX_HOPS; hops++) {
      const content = position.head === undefined ? undefined : readLink(position.head);
      if (content?.kind !== 'seal') return position;
      const next = await this.last(content.seal.next);
      position = positionAfter(content.seal.next, next, next ?? position.head);
    }
    throw new AuditError(
      'INVALID_CHAIN_ITEM',
      `expected an open chain within ${MAX_HOPS} seals of chain ${chain}, found none: the seals loop`,
      'bug',
    );
  }

  /** Puts `item` unless an item of its key exists; false when one did. */
  async putNew(item: Item): Promise<boolean> {
    const command = new PutItemCommand({
      TableName: this.tableName,
      Item: item,
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    try {
      await this.client.send(command);
      return true;
    } catch (error) {
      if (awsErrorName(error) === 'ConditionalCheckFailedException') return false;
      throw awsRequestError('DynamoDB PutItem', `table ${this.tableName}`, error);
    }
  }

  /** The item of `key`, read consistently. */
  async get(key: Item): Promise<Item | undefined> {
    const command = new GetItemCommand({
      TableName: this.tableName,
      Key: key,
      ConsistentRead: true,
    });
    try {
      return (await this.client.send(command)).Item;
    } catch (error) {
      throw awsRequestError('DynamoDB GetItem', `table ${this.tableName}`, error);
    }
  }

  /** Items of one partition (consistent reads), page after page. */
  private async query(q: {
    pk: string;
    skBetween?: readonly [string, string];
    descending?: boolean;
    limit?: number;
  }): Promise<Item[]> {
    const input: QueryCommandInput = {
      TableName: this.tableName,
      KeyConditionExpression: `pk = :pk${q.skBetween ? ' AND sk BETWEEN :from AND :to' : ''}`,
      ExpressionAttributeValues: marshall({
        ':pk': q.pk,
        ...(q.skBetween && { ':from': q.skBetween[0], ':to': q.skBetween[1] }),
      }),
      ScanIndexForward: q.descending !== true,
      ConsistentRead: true,
      Limit: q.limit,
    };
    return queryPages(this.client, input, `table ${this.tableName}`, q.limit);
  }
}

/** Every item a Query answers (at most `limit`), page after page. */
export async function queryPages(
  client: DynamoDBClient,
  input: QueryCommandInput,
  target: string,
  limit?: number,
): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    let page;
    try {
      page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    } catch (error) {
      throw awsRequestError('DynamoDB Query', target, error);
    }
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined && (limit === undefined || items.length < limit));
  return limit === undefined ? items : items.slice(0, limit);
}

function positionAfter(
  chain: string,
  head: ChainLink | undefined,
  newest: ChainLink | undefined,
): Position {
  return {
    chain,
    seq: (head?.seq ?? 0) + 1,
    // An empty chain chains from the seal that named it (newest), or from 64 zeros at genesis.
    prevHash: newest?.hash ?? GENESIS_HASH,
    ...(head !== undefined && { head }),
    ...(newest !== undefined && { newest }),
  };
}
