import type { AttributeDefinition, KeySchemaElement } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';
import type { StoredVerdict } from '../../pipeline';
import { Decision, type ImageTarget } from '../../pipeline';
import type { Item } from './table';
import { AwsError } from '..';

/*
 * The items of the images table; dynamodb-verdict-store.ts describes the design. Items are
 * written with util-dynamodb's `marshall` and its defaults (an empty string stays `S: ""`, numbers
 * are `N`, a class instance is refused), leaving out undefined fields
 * (`removeUndefinedValues`): the attribute types older readers of the table expect.
 */

/** The images table's key schema, for the CDK table and the tests' CreateTable. */
export const IMAGES_TABLE_KEY_SCHEMA: readonly KeySchemaElement[] = [
  { AttributeName: 'pk', KeyType: 'HASH' },
  { AttributeName: 'sk', KeyType: 'RANGE' },
];
export const IMAGES_TABLE_ATTRIBUTES: readonly AttributeDefinition[] = [
  { AttributeName: 'pk', AttributeType: 'S' },
  { AttributeName: 'sk', AttributeType: 'S' },
];
/** The TTL attribute (epoch seconds) of the items that expire: the promotion markers. */
export const IMAGES_TABLE_TTL_ATTRIBUTE = 'expiration';

export const digestKey = (digest: string): Item =>
  marshall({ pk: `DIGEST#${digest}`, sk: 'VERDICT' });
export const blockKey = (digest: string): Item => marshall({ pk: `DIGEST#${digest}`, sk: 'BLOCK' });
export const tagKey = (repository: string, tag: string | undefined): Item =>
  marshall({ pk: `REPO#${repository}`, sk: tag === undefined ? 'UNTAGGED' : `TAG#${tag}` });
export const promotionKey = (repository: string, digest: string): Item =>
  marshall({ pk: `REPO#${repository}`, sk: `PROMOTION#${digest}` });

/** Undefined fields (a verdict's image without a tag, say) are left out of the item. */
const LEAVE_OUT_UNDEFINED = { removeUndefinedValues: true } as const;

const VerdictItem = z.object({
  digest: z.string(),
  decision: Decision,
  scanId: z.string(),
  recordedAt: z.string(),
  severeFindings: z.array(z.string()),
  policyDigest: z.string(),
  dataVersion: z.string(),
  analyzerSet: z.string(),
  platforms: z.array(
    z.object({ platform: z.string(), manifestDigest: z.string(), reportKey: z.string() }),
  ),
});

/** A quarantined digest: where, by which scan, why, since when. */
export interface Block {
  readonly digest: string;
  readonly repository: string;
  readonly tag?: string;
  readonly scanId: string;
  readonly reason: string;
  readonly blockedAt: string;
}

const BlockItem = z.object({
  digest: z.string(),
  repository: z.string(),
  tag: z.string().optional(),
  scanId: z.string(),
  reason: z.string(),
  blockedAt: z.string(),
});

/** Milliseconds of an ISO time; one that does not parse is a bug of the caller. */
export function millisOf(iso: string, what: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms))
    throw new AwsError(
      'INVALID_REQUEST',
      `expected an ISO time as ${what}, got ${JSON.stringify(iso)}`,
      'bug',
    );
  return ms;
}

/** The verdict as an item under `key`, with `recordedMs` for the ordering condition. */
export function verdictItem(key: Item, verdict: StoredVerdict, image?: ImageTarget): Item {
  const { digest, decision, scanId, recordedAt, severeFindings, platforms } = verdict;
  const { policyDigest, dataVersion, analyzerSet } = verdict;
  const fields = {
    digest,
    decision,
    scanId,
    recordedAt,
    severeFindings,
    policyDigest,
    dataVersion,
    analyzerSet,
    platforms: platforms.map((p) => ({ ...p })),
    repository: image?.repository,
    tag: image?.tag,
    recordedMs: millisOf(recordedAt, 'the verdict’s recordedAt'),
  };
  return { ...key, ...marshall(fields, LEAVE_OUT_UNDEFINED) };
}

export function readVerdict(item: Item | undefined): StoredVerdict | undefined {
  return item === undefined ? undefined : readItem(VerdictItem, item, 'a verdict item');
}

/** A promotion marker, expiring at `expiresAt` (TTL removes it within days of that). */
export function promotionItem(repository: string, digest: string, expiresAt: Date): Item {
  const ms = expiresAt.getTime();
  return {
    ...promotionKey(repository, digest),
    ...marshall({
      repository,
      digest,
      expiresAt: expiresAt.toISOString(),
      expiresMs: ms,
      [IMAGES_TABLE_TTL_ATTRIBUTE]: Math.ceil(ms / 1000),
    }),
  };
}

export const indexedKey = (repository: string, digest: string): Item =>
  marshall({ pk: `REPO#${repository}`, sk: `INDEXED#${digest}` });

/** The mark of a platform manifest pushed with an index, expiring (TTL) with its window. */
export function indexedItem(
  repository: string,
  digest: string,
  index: string,
  expiresAt: Date,
): Item {
  const ms = expiresAt.getTime();
  return {
    ...indexedKey(repository, digest),
    ...marshall({
      repository,
      digest,
      index,
      expiresAt: expiresAt.toISOString(),
      expiresMs: ms,
      [IMAGES_TABLE_TTL_ATTRIBUTE]: Math.ceil(ms / 1000),
    }),
  };
}

export function blockItem(image: ImageTarget, scanId: string, reason: string, at: Date): Item {
  const { digest, repository, tag } = image;
  const fields = { digest, repository, tag, scanId, reason, blockedAt: at.toISOString() };
  return { ...blockKey(digest), ...marshall(fields, LEAVE_OUT_UNDEFINED) };
}

export function readBlock(item: Item | undefined): Block | undefined {
  return item === undefined ? undefined : readItem(BlockItem, item, 'a block item');
}

/**
 * The item read by `schema` (numbers as numbers: no `wrapNumbers`, the items' numbers are
 * times); an item of another shape is `INVALID_STORED_ITEM` (a bug).
 */
function readItem<S extends z.ZodTypeAny>(schema: S, item: Item, where: string): z.output<S> {
  const parsed = schema.safeParse(unmarshall(item));
  if (parsed.success) return parsed.data as z.output<S>;
  const issue = parsed.error.issues[0];
  throw new AwsError(
    'INVALID_STORED_ITEM',
    `expected ${where} of the adapter's shape, got one where ${issue?.path.join('.') || 'the item'}: ${issue?.message}`,
    'bug',
  );
}
