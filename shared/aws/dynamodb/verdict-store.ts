import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Clock } from '../../core';
import type { StoredVerdict, VerdictStore } from '../../pipeline';
import type { ImageTarget } from '../../pipeline';
import { Table, type Condition } from './table';
import {
  blockItem,
  blockKey,
  digestKey,
  millisOf,
  indexedItem,
  indexedKey,
  promotionItem,
  promotionKey,
  readBlock,
  readVerdict,
  tagKey,
  verdictItem,
  type Block,
} from './verdict-items';
import { AwsError, tableError } from '..';

export {
  IMAGES_TABLE_ATTRIBUTES,
  IMAGES_TABLE_KEY_SCHEMA,
  IMAGES_TABLE_TTL_ATTRIBUTE,
  type Block,
} from './verdict-items';

/*
 * The images table: one table, string keys `pk`/`sk`, no index.
 *
 *   pk                    sk                    what
 *   DIGEST#<digest>       VERDICT               the digest's latest verdict (StoredVerdict)
 *   DIGEST#<digest>       BLOCK                 the digest is quarantined: repository, scan, reason
 *   REPO#<repository>     TAG#<tag>             the latest verdict of repository:tag
 *   REPO#<repository>     UNTAGGED              the latest verdict of an untagged push there
 *   REPO#<repository>     PROMOTION#<digest>    the pipeline pushes digest there itself, until
 *                                               `expiresAt` (TTL attribute `expiration`)
 *
 * A repository's partition holds its tags' verdicts, so one Query lists them. Verdict items keep
 * the verdict's fields as attributes (readable in the console) and `recordedMs`, the order
 * their conditional puts keep: a put applies only when no verdict is stored, or when the stored
 * one is of another scan and older (at an equal time, of a smaller scanId, so that two writers
 * end with the same item whatever their order). Recording a scanId again changes nothing.
 */

export interface DynamoDbVerdictStoreProps {
  /** Created once at module scope by the handler. */
  readonly client: DynamoDBClient;
  /** `CLEARANCE_IMAGES_TABLE`. */
  readonly tableName: string;
  /**
   * The time a block is recorded at.
   * @default - the system clock
   */
  readonly now?: Clock;
}

/** The VerdictStore of the cloud pipeline, on the images table described above. */
export class DynamoDbVerdictStore implements VerdictStore {
  private readonly table: Table;
  private readonly now: Clock;

  constructor(props: DynamoDbVerdictStoreProps) {
    this.table = new Table(props.client, props.tableName, tableError);
    this.now = props.now ?? (() => new Date());
  }

  async verdictOf(digest: string): Promise<StoredVerdict | undefined> {
    return readVerdict(await this.table.get(digestKey(digest), true));
  }

  /** The latest verdict of `repository:tag`; with no tag, of the last untagged push there. */
  async lastVerdictOf(
    repository: string,
    tag: string | undefined,
  ): Promise<StoredVerdict | undefined> {
    return readVerdict(await this.table.get(tagKey(repository, tag), true));
  }

  async record(image: ImageTarget, verdict: StoredVerdict): Promise<void> {
    if (verdict.digest !== image.digest)
      throw new AwsError(
        'INVALID_REQUEST',
        `expected the verdict of ${image.digest}, got one of ${verdict.digest}`,
        'bug',
      );
    const condition = newerThanStored(verdict);
    await Promise.all([
      this.table.putIf(verdictItem(digestKey(image.digest), verdict), condition),
      this.table.putIf(verdictItem(tagKey(image.repository, image.tag), verdict, image), condition),
    ]);
  }

  /** Marks the promotion until `expiresAt`; a later expiry already stored is kept. */
  async markPromotion(repository: string, digest: string, expiresAt: Date): Promise<void> {
    await this.table.putIf(promotionItem(repository, digest, expiresAt), {
      expression: 'attribute_not_exists(pk) OR expiresMs < :ms',
      values: marshall({ ':ms': expiresAt.getTime() }),
    });
  }

  /** Whether a marker of `digest` in `repository` holds at `at` (TTL deletes expired ones late). */
  async isPromotion(repository: string, digest: string, at: Date): Promise<boolean> {
    const item = await this.table.get(promotionKey(repository, digest), true);
    const expiresMs = Number(item?.expiresMs?.N);
    return Number.isFinite(expiresMs) && at.getTime() < expiresMs;
  }

  /** Marks a platform manifest of an index until `expiresAt`; a later mark already stored is kept. */
  async markIndexed(
    repository: string,
    digest: string,
    index: string,
    expiresAt: Date,
  ): Promise<void> {
    await this.table.putIf(indexedItem(repository, digest, index, expiresAt), {
      expression: 'attribute_not_exists(pk) OR expiresMs < :ms',
      values: marshall({ ':ms': expiresAt.getTime() }),
    });
  }

  /** The index `digest` was pushed with, while its mark holds at `at`. */
  async indexOf(repository: string, digest: string, at: Date): Promise<string | undefined> {
    const item = await this.table.get(indexedKey(repository, digest), true);
    const expiresMs = Number(item?.expiresMs?.N);
    const index = item?.index?.S;
    return Number.isFinite(expiresMs) && at.getTime() < expiresMs ? index : undefined;
  }

  /** Records the block; the same scan blocking again keeps the first record, another replaces it. */
  async block(image: ImageTarget, scanId: string, reason: string): Promise<void> {
    await this.table.putIf(blockItem(image, scanId, reason, this.now()), {
      expression: 'attribute_not_exists(pk) OR scanId <> :scanId',
      values: marshall({ ':scanId': scanId }),
    });
  }

  /** The block of `digest`, if it is blocked. */
  async blockOf(digest: string): Promise<Block | undefined> {
    return readBlock(await this.table.get(blockKey(digest), true));
  }
}

/** The put's condition: nothing stored, or another scan's verdict that is older (see above). */
function newerThanStored(verdict: StoredVerdict): Condition {
  const values = marshall({
    ':scanId': verdict.scanId,
    ':ms': millisOf(verdict.recordedAt, 'the verdict’s recordedAt'),
  });
  return {
    expression:
      'attribute_not_exists(pk) OR (scanId <> :scanId AND (recordedMs < :ms OR (recordedMs = :ms AND scanId < :scanId)))',
    values,
  };
}
