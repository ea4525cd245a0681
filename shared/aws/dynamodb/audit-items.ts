import type {
  AttributeDefinition,
  GlobalSecondaryIndex,
  KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';
import { indexAttributes, type ChainLink, type StoredLink } from '../../audit';
import { AuditError } from '../../audit';
import type { AuditEvent } from '../../audit';
import type { Item } from './table';

/*
 * The audit table (shared/audit/chain.ts says what a chain is):
 *
 *   pk CHAIN#<day>  sk SEQ#<seq, 12 digits>   a link: chain, seq, prevHash, hash, record (the
 *                                             canonical JSON that was hashed); an event's link
 *                                             also id, type, day, timeId, repository, digest
 *                                             (lookup attributes, derived from the record)
 *   pk EVENT#<id>   sk EVENT                  where event <id> is: chain, seq (lookup only)
 *   pk CHAINS       sk <day>                  chain <day> was opened (a hint for finding the
 *                                             newest chain; the seals are what link chains)
 *   pk CHAINS       sk GENESIS                chain: the first chain of all
 *
 * Indexes over events' links, sorted by timeId (`<UTC ISO time>#<id>`): byDay (day),
 * byDigest (digest), byRepository (repository).
 *
 * Every item is written once with a conditional PutItem (`attribute_not_exists(pk)`): a link
 * takes the next free sequence number or fails, so concurrent writers keep one linear chain.
 */

/** The audit table's key schema, for the CDK table and the tests' CreateTable. */
export const AUDIT_TABLE_KEY_SCHEMA: readonly KeySchemaElement[] = [
  { AttributeName: 'pk', KeyType: 'HASH' },
  { AttributeName: 'sk', KeyType: 'RANGE' },
];
/** The key attributes of the table and of its indexes. */
export const AUDIT_TABLE_ATTRIBUTES: readonly AttributeDefinition[] = [
  { AttributeName: 'pk', AttributeType: 'S' },
  { AttributeName: 'sk', AttributeType: 'S' },
  { AttributeName: 'day', AttributeType: 'S' },
  { AttributeName: 'digest', AttributeType: 'S' },
  { AttributeName: 'repository', AttributeType: 'S' },
  { AttributeName: 'timeId', AttributeType: 'S' },
];
export const AUDIT_BY_DAY_INDEX = 'byDay';
export const AUDIT_BY_DIGEST_INDEX = 'byDigest';
export const AUDIT_BY_REPOSITORY_INDEX = 'byRepository';

const byTime = (name: string, partition: string): GlobalSecondaryIndex => ({
  IndexName: name,
  KeySchema: [
    { AttributeName: partition, KeyType: 'HASH' },
    { AttributeName: 'timeId', KeyType: 'RANGE' },
  ],
  Projection: { ProjectionType: 'ALL' },
});
/** Events in time order: of a day, of a digest, of a repository. */
export const AUDIT_TABLE_INDEXES: readonly GlobalSecondaryIndex[] = [
  byTime(AUDIT_BY_DAY_INDEX, 'day'),
  byTime(AUDIT_BY_DIGEST_INDEX, 'digest'),
  byTime(AUDIT_BY_REPOSITORY_INDEX, 'repository'),
];

export const CHAINS_PK = 'CHAINS';
export const GENESIS_SK = 'GENESIS';
const SEQ_DIGITS = 12;

export const chainPk = (chain: string): string => `CHAIN#${chain}`;
export const eventKey = (id: string): Item => marshall({ pk: `EVENT#${id}`, sk: 'EVENT' });
export const linkKey = (chain: string, seq: number): Item =>
  marshall({ pk: chainPk(chain), sk: `SEQ#${String(seq).padStart(SEQ_DIGITS, '0')}` });

/** The item of `link`; an event's link with its lookup attributes. */
export function linkItem(link: ChainLink, event?: AuditEvent): Item {
  const { chain, seq, prevHash, hash, record } = link;
  return {
    ...linkKey(chain, seq),
    ...marshall({ chain, prevHash, hash, record, seq }),
    ...(event !== undefined && marshall(indexAttributes(event))),
  };
}

/** The lookup item of an event: where it is. */
export function eventIndexItem(id: string, link: Pick<ChainLink, 'chain' | 'seq'>): Item {
  return { ...eventKey(id), ...marshall({ chain: link.chain, seq: link.seq }) };
}

const LinkItem = z.object({
  pk: z.string(),
  sk: z.string(),
  prevHash: z.string(),
  hash: z.string(),
  record: z.string(),
});
const LOOKUP = ['id', 'type', 'day', 'timeId', 'repository', 'digest'] as const;

/**
 * A link as stored. Its place is read from its key (what orders the chain), not from the
 * attributes beside it; an item of another shape under a chain's key is INVALID_CHAIN_ITEM.
 */
export function storedLink(item: Item): StoredLink {
  const plain = unmarshall(item);
  const parsed = LinkItem.safeParse(plain);
  const place = /^CHAIN#(.+)$/.exec(String(plain.pk));
  const seq = /^SEQ#(\d+)$/.exec(String(plain.sk));
  if (!parsed.success || place === null || seq === null)
    throw new AuditError(
      'INVALID_CHAIN_ITEM',
      `expected a chain link (pk CHAIN#<day>, sk SEQ#<n>, prevHash, hash, record), got ${String(plain.pk)} ${String(plain.sk)}`,
      'bug',
    );
  const { prevHash, hash, record } = parsed.data;
  const indexed = Object.fromEntries(
    LOOKUP.filter((name) => typeof plain[name] === 'string').map((name) => [
      name,
      plain[name] as string,
    ]),
  );
  return {
    chain: place[1]!,
    seq: Number(seq[1]),
    prevHash,
    hash,
    record,
    indexed,
  };
}
