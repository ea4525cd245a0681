import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { linkHash, newLink, type ChainLink } from '../../shared/audit';
import {
  AUDIT_TABLE_ATTRIBUTES,
  AUDIT_TABLE_INDEXES,
  AUDIT_TABLE_KEY_SCHEMA,
} from '../../shared/aws/dynamodb/audit-log';
import { linkKey } from '../../shared/aws/dynamodb/audit-items';
import type { AuditEvent } from '../../shared/audit/events';
import type { TableShape } from './dynalite';

/** The audit table, as the CDK stack and the local runner make it. */
export const AUDIT_TABLE: TableShape = {
  keySchema: AUDIT_TABLE_KEY_SCHEMA,
  attributes: AUDIT_TABLE_ATTRIBUTES,
  globalSecondaryIndexes: AUDIT_TABLE_INDEXES,
};

export const AUDIT_DIGEST = `sha256:${'a'.repeat(64)}`;

/** An event of the kind the pipeline records, with `more` over it. */
export function auditEvent(id: string, time: string, more: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id,
    type: 'scan.completed',
    time,
    actor: 'arn:aws:iam::123456789012:role/ci',
    image: { repository: 'payments/api', digest: AUDIT_DIGEST, tag: '1.4.2' },
    details: { decision: 'fail', counts: { critical: 2 }, previous: null, reasons: ['x'] },
    versions: { policyDigest: `sha256:${'c'.repeat(64)}`, dataVersion: 'v1', analyzerSet: 'a7' },
    ...more,
  };
}

/** Direct edits of the audit table, as someone with more rights than the writers might make. */
export class AuditTamperer {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** The item of link `seq` of `chain`. */
  async item(chain: string, seq: number) {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: linkKey(chain, seq) }),
    );
    if (Item === undefined) throw new Error(`no link ${chain} ${seq}`);
    return Item;
  }

  /** Replaces attributes of link `seq` (the key stays). */
  async edit(chain: string, seq: number, attributes: Record<string, AttributeValue>) {
    const item = { ...(await this.item(chain, seq)), ...attributes, ...linkKey(chain, seq) };
    await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: item }));
  }

  async delete(chain: string, seq: number) {
    await this.client.send(
      new DeleteItemCommand({ TableName: this.tableName, Key: linkKey(chain, seq) }),
    );
  }

  /** Swaps what links `a` and `b` of `chain` hold: `all` attributes, or only their records. */
  async swap(chain: string, a: number, b: number, what: 'all' | 'records') {
    const [first, second] = [await this.item(chain, a), await this.item(chain, b)];
    const pick = (item: typeof first) => (what === 'records' ? { record: item.record! } : item);
    await this.edit(chain, a, pick(second));
    await this.edit(chain, b, pick(first));
  }

  /**
   * Replaces link `seq`'s record with `record` and re-hashes it (from `prevHash`, its own by
   * default) and every link after it up to `last`: a chain consistent in itself.
   */
  async rewrite(chain: string, seq: number, last: number, record: AuditEvent, prevHash?: string) {
    const item = await this.item(chain, seq);
    let link: ChainLink = newLink({ chain, seq, prevHash: prevHash ?? item.prevHash!.S! }, record);
    await this.edit(chain, seq, {
      record: { S: link.record },
      prevHash: { S: link.prevHash },
      hash: { S: link.hash },
    });
    for (let next = seq + 1; next <= last; next++) {
      const text = (await this.item(chain, next)).record!.S!;
      const hash = linkHash(link.hash, text);
      await this.edit(chain, next, { prevHash: { S: link.hash }, hash: { S: hash } });
      link = { chain, seq: next, prevHash: link.hash, hash, record: text };
    }
  }
}
