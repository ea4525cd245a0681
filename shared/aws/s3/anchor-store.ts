import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  ANCHOR_PREFIX,
  anchorJson,
  anchorKey,
  parseAnchor,
  type Anchor,
  type AnchorStore,
  type StoredAnchor,
} from '../../audit';
import { mapBounded } from '../dynamodb';
import { awsRequestError } from '..';

export interface S3AnchorStoreProps {
  /** Created once at module scope by the handler. */
  readonly client: S3Client;
  /** `CLEARANCE_ANCHORS_BUCKET`: the bucket under Object Lock (lib/audit-anchors.ts). */
  readonly bucket: string;
}

/** Anchor objects read at once while listing. */
const READS_AT_ONCE = 16;

/**
 * Anchors in the anchors bucket, `audit-anchors/<chain>/<time>.json`. The bucket's default
 * Object Lock retention applies to each new object (no retention header is sent: the stack
 * decides mode and period in one place); S3 asks for a checksum with Object Lock, sent as
 * SHA-256. An anchor is written once (`If-None-Match: *`).
 */
export class S3AnchorStore implements AnchorStore {
  constructor(private readonly props: S3AnchorStoreProps) {}

  async put(anchor: Anchor): Promise<string> {
    const key = anchorKey(anchor);
    const command = new PutObjectCommand({
      Bucket: this.props.bucket,
      Key: key,
      Body: anchorJson(anchor),
      ContentType: 'application/json',
      ChecksumAlgorithm: 'SHA256',
      IfNoneMatch: '*',
    });
    try {
      await this.props.client.send(command);
    } catch (error) {
      throw awsRequestError('S3 PutObject', this.where(key), error);
    }
    return `s3://${this.props.bucket}/${key}`;
  }

  async list(since?: string): Promise<StoredAnchor[]> {
    const keys = await this.keys(since);
    return mapBounded(keys, READS_AT_ONCE, async (key) => {
      const chain = key.slice(ANCHOR_PREFIX.length).split('/')[0]!;
      return parseAnchor(`s3://${this.props.bucket}/${key}`, chain, await this.read(key));
    });
  }

  /** The anchors' keys (of chains `since` and later), sorted. */
  private async keys(since?: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const command = new ListObjectsV2Command({
        Bucket: this.props.bucket,
        Prefix: ANCHOR_PREFIX,
        ...(since !== undefined && { StartAfter: `${ANCHOR_PREFIX}${since}` }),
        ContinuationToken: token,
      });
      let page;
      try {
        page = await this.props.client.send(command);
      } catch (error) {
        throw awsRequestError('S3 ListObjectsV2', this.where(ANCHOR_PREFIX), error);
      }
      keys.push(...(page.Contents ?? []).flatMap((o) => (o.Key?.endsWith('.json') ? [o.Key] : [])));
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return keys.sort();
  }

  private async read(key: string): Promise<string> {
    try {
      const output = await this.props.client.send(
        new GetObjectCommand({ Bucket: this.props.bucket, Key: key }),
      );
      return (await output.Body?.transformToString('utf8')) ?? '';
    } catch (error) {
      throw awsRequestError('S3 GetObject', this.where(key), error);
    }
  }

  private where(key: string): string {
    return `s3://${this.props.bucket}/${key}`;
  }
}
