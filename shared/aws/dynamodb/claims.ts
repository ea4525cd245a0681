import { randomUUID } from 'node:crypto';
import type {
  AttributeDefinition,
  DynamoDBClient,
  KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Clock } from '../../core';
import { Table, type Item } from './table';
import { tableError } from '..';

/*
 * The idempotency table: one item per piece of work done once (`pk`, a string such as
 * `NOTIFICATION#<id>`), which expires by TTL (`expiration`, epoch seconds).
 *
 *   pk, claimToken, claimedMs, expiration     claimed by an attempt (its random token)
 *   + doneAt, outcome                         the attempt finished the work
 *
 * An attempt claims with a conditional put that applies when there is no item, when the item
 * expired (TTL deletes late), or when the claim is stale: not done and older than `staleAfterMs`.
 * So an attempt that died between its claim and the end of its work delays the work, and the
 * next attempt after `staleAfterMs` does it; it is never lost. An attempt that failed cleanly
 * releases its claim (a delete conditioned on its token) so the next one need not wait.
 */

export const IDEMPOTENCY_TABLE_KEY_SCHEMA: readonly KeySchemaElement[] = [
  { AttributeName: 'pk', KeyType: 'HASH' },
];
export const IDEMPOTENCY_TABLE_ATTRIBUTES: readonly AttributeDefinition[] = [
  { AttributeName: 'pk', AttributeType: 'S' },
];
export const IDEMPOTENCY_TABLE_TTL_ATTRIBUTE = 'expiration';

/** Claims tried while other attempts keep releasing theirs, before answering `busy`. */
const MAX_CLAIM_ATTEMPTS = 3;

/** What a claim found: the work is this attempt's, done already, or another attempt's now. */
export type Claim =
  | { readonly state: 'claimed'; readonly token: string }
  | { readonly state: 'done' }
  | { readonly state: 'busy'; readonly claimedAt: Date };

export interface DynamoDbClaimsProps {
  readonly client: DynamoDBClient;
  /** `CLEARANCE_IDEMPOTENCY_TABLE`. */
  readonly tableName: string;
  /** How long a claim that is not done holds before another attempt may take it over. */
  readonly staleAfterMs: number;
  /** How long an item is kept (TTL) after its claim. */
  readonly retentionMs: number;
  /** @default - the system clock */
  readonly now?: Clock;
}

/** Claims of work done once, on the idempotency table described above. */
export class DynamoDbClaims {
  private readonly table: Table;
  private readonly now: Clock;

  constructor(private readonly props: DynamoDbClaimsProps) {
    this.table = new Table(props.client, props.tableName, tableError);
    this.now = props.now ?? (() => new Date());
  }

  async claim(pk: string): Promise<Claim> {
    // An item deleted between the failed put and the read (a released claim): claim again.
    for (let attempt = 1; ; attempt++) {
      const nowMs = this.now().getTime();
      const token = randomUUID();
      if (await this.table.putIf(this.claimItem(pk, token, nowMs), this.claimable(nowMs)))
        return { state: 'claimed', token };
      const item = await this.table.get(marshall({ pk }), true);
      if (item === undefined && attempt < MAX_CLAIM_ATTEMPTS) continue;
      if (item === undefined) return { state: 'busy', claimedAt: new Date(nowMs) };
      if (item.doneAt !== undefined) return { state: 'done' };
      return { state: 'busy', claimedAt: new Date(Number(item.claimedMs?.N)) };
    }
  }

  /** Marks the claimed work done, with `outcome` (a message id, say); false when the claim was lost. */
  complete(pk: string, token: string, outcome = ''): Promise<boolean> {
    return this.table.updateIf(
      marshall({ pk }),
      {
        expression: 'SET doneAt = :doneAt, outcome = :outcome',
        values: marshall({ ':doneAt': this.now().toISOString(), ':outcome': outcome }),
      },
      { expression: 'claimToken = :token', values: marshall({ ':token': token }) },
    );
  }

  /** Gives the claim up, so that the next attempt need not wait for it to go stale. */
  async release(pk: string, token: string): Promise<void> {
    await this.table.deleteIf(marshall({ pk }), {
      expression: 'claimToken = :token',
      values: marshall({ ':token': token }),
    });
  }

  private claimItem(pk: string, token: string, nowMs: number): Item {
    return marshall({
      pk,
      claimToken: token,
      claimedMs: nowMs,
      [IDEMPOTENCY_TABLE_TTL_ATTRIBUTE]: Math.ceil((nowMs + this.props.retentionMs) / 1000),
    });
  }

  private claimable(nowMs: number) {
    return {
      expression:
        'attribute_not_exists(pk) OR expiration < :nowSeconds OR (attribute_not_exists(doneAt) AND claimedMs < :staleMs)',
      values: marshall({
        ':nowSeconds': Math.floor(nowMs / 1000),
        ':staleMs': nowMs - this.props.staleAfterMs,
      }),
    };
  }
}
