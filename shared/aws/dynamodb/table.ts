import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { ErrorKind } from '../../core';

/** One DynamoDB item, in the SDK's attribute-value form. */
export type Item = Record<string, AttributeValue>;

/** Builds the caller's own typed error from a failed call: its message, its cause, its kind. */
export type TableErrorFactory = (message: string, cause: unknown, kind: ErrorKind) => Error;

/** A condition and the values it names (`:at`, `:rev`, …). */
export interface Condition {
  readonly expression: string;
  readonly values?: Item;
}

/** SDK errors worth retrying later: throttling, capacity, the service's own failures. */
const TRANSIENT_ERROR =
  /Throttl|ThroughputExceeded|LimitExceeded|InternalServer|Unavailable|Timeout/;
/** Requests we built wrong: our invariant broke. */
const BUG_ERROR = /^(ValidationException|SerializationException)$/;
/** SDK messages are one line; anything longer is cut so no request detail is echoed at length. */
const MAX_DETAIL = 200;

/**
 * The SDK calls a store makes on one table. Every failure becomes the caller's typed error,
 * classed transient (throttling, 5xx, no answer), bug (a request we built wrong) or input (a
 * missing table, say), with the operation, the table and the service's own error name and first
 * message line: never the request, its headers or credentials. A conditional write answers
 * whether it applied.
 */
export class Table {
  constructor(
    private readonly client: DynamoDBClient,
    readonly name: string,
    private readonly fail: TableErrorFactory,
    /** Items per Query page; undefined for DynamoDB's own pages of up to 1 MB. */
    private readonly pageSize?: number,
  ) {}

  async get(key: Item, consistent = false): Promise<Item | undefined> {
    const command = new GetItemCommand({
      TableName: this.name,
      Key: key,
      ConsistentRead: consistent,
    });
    return (await this.call('GetItem', () => this.client.send(command))).Item;
  }

  /** Puts `item`, if `condition` holds when one is given; false when it did not. */
  putIf(item: Item, condition?: Condition): Promise<boolean> {
    const command = new PutItemCommand({
      TableName: this.name,
      Item: item,
      ConditionExpression: condition?.expression,
      ExpressionAttributeValues: condition?.values,
    });
    return this.applied('PutItem', () => this.client.send(command));
  }

  /** Applies `update` (an UpdateExpression with its values) if `condition` holds. */
  updateIf(key: Item, update: Condition, condition?: Condition): Promise<boolean> {
    const command = new UpdateItemCommand({
      TableName: this.name,
      Key: key,
      UpdateExpression: update.expression,
      ConditionExpression: condition?.expression,
      ExpressionAttributeValues: { ...update.values, ...condition?.values },
    });
    return this.applied('UpdateItem', () => this.client.send(command));
  }

  deleteIf(key: Item, condition: Condition): Promise<boolean> {
    const command = new DeleteItemCommand({
      TableName: this.name,
      Key: key,
      ConditionExpression: condition.expression,
      ExpressionAttributeValues: condition.values,
    });
    return this.applied('DeleteItem', () => this.client.send(command));
  }

  /** Every item of one partition, page after page, in sort-key order, with `attributes`. */
  async query(pk: string, attributes: string): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const command = new QueryCommand({
        TableName: this.name,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: pk } },
        ProjectionExpression: attributes,
        Limit: this.pageSize,
        ExclusiveStartKey: start,
      });
      const page = await this.call('Query', () => this.client.send(command));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return items;
  }

  private applied(operation: string, work: () => Promise<unknown>): Promise<boolean> {
    return this.call(operation, async () => {
      try {
        await work();
        return true;
      } catch (error) {
        if ((error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException')
          return false;
        throw error;
      }
    });
  }

  private async call<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.failure(operation, error);
    }
  }

  private failure(operation: string, cause: unknown): Error {
    const e = (cause ?? {}) as {
      name?: string;
      message?: string;
      $metadata?: { httpStatusCode?: number };
    };
    const status = e.$metadata?.httpStatusCode;
    const detail = String(e.message ?? cause)
      .split('\n')[0]!
      .slice(0, MAX_DETAIL);
    const message = `DynamoDB ${operation} on table ${this.name} failed: ${e.name ?? 'Error'}${status === undefined ? '' : ` (HTTP ${status})`}: ${detail}`;
    return this.fail(message, cause, kindOf(e.name, status));
  }
}

/** `work` over every item, at most `limit` at a time; results in the order of `items`. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function kindOf(name: string | undefined, status: number | undefined): ErrorKind {
  // No HTTP status: the request never got an answer (refused, reset, timed out).
  if (status === undefined || status >= 500 || status === 429) return 'transient';
  if (TRANSIENT_ERROR.test(name ?? '')) return 'transient';
  return BUG_ERROR.test(name ?? '') ? 'bug' : 'input';
}
