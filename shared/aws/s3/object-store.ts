import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { assertObjectKey, assertObjectKeyPrefix, type ObjectStore } from '../../objects';
import { awsErrorName, awsRequestError } from '..';

export interface S3ObjectStoreProps {
  /** Created once at module scope by the handler. */
  readonly client: S3Client;
  /** `CLEARANCE_BUCKET`: the artifacts bucket. */
  readonly bucket: string;
}

/** Content types by the key's ending, so that a report opened from the console reads as what it is. */
const CONTENT_TYPES: readonly (readonly [string, string])[] = [
  ['.gz', 'application/gzip'],
  ['.jsonl', 'application/x-ndjson'],
  ['.json', 'application/json'],
  // A presigned link to an HTML report opens as a page, not a download.
  ['.html', 'text/html; charset=utf-8'],
];
const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/**
 * The ObjectStore of the cloud pipeline: the artifacts bucket. Keys are checked as the
 * directory store checks them (`assertObjectKey`), so a key that works locally works here and
 * the reverse. Objects are encrypted by the bucket's default (SSE-KMS with the stack's key):
 * no encryption header is sent, so the bucket's policy and key decide, in one place.
 * A missing object is `undefined` when the role may list the bucket (S3 answers NoSuchKey);
 * without `s3:ListBucket` S3 answers AccessDenied instead, which is an input error here.
 */
export class S3ObjectStore implements ObjectStore {
  constructor(private readonly props: S3ObjectStoreProps) {}

  async get(key: string): Promise<Buffer | undefined> {
    assertObjectKey(key);
    try {
      const output = await this.props.client.send(
        new GetObjectCommand({ Bucket: this.props.bucket, Key: key }),
      );
      if (output.Body === undefined) return Buffer.alloc(0);
      return Buffer.from(await output.Body.transformToByteArray());
    } catch (error) {
      if (awsErrorName(error) === 'NoSuchKey') return undefined;
      throw awsRequestError('S3 GetObject', this.where(key), error);
    }
  }

  async put(key: string, body: Buffer): Promise<void> {
    assertObjectKey(key);
    const command = new PutObjectCommand({
      Bucket: this.props.bucket,
      Key: key,
      Body: body,
      ContentType: contentTypeOf(key),
    });
    try {
      await this.props.client.send(command);
    } catch (error) {
      throw awsRequestError('S3 PutObject', this.where(key), error);
    }
  }

  /** Every key under `prefix`, page after page (ListObjectsV2), sorted. */
  async list(prefix: string): Promise<string[]> {
    assertObjectKeyPrefix(prefix);
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const command = new ListObjectsV2Command({
        Bucket: this.props.bucket,
        Prefix: prefix,
        ContinuationToken: token,
      });
      let page;
      try {
        page = await this.props.client.send(command);
      } catch (error) {
        throw awsRequestError('S3 ListObjectsV2', this.where(prefix), error);
      }
      for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return keys.sort();
  }

  private where(key: string): string {
    return `s3://${this.props.bucket}/${key}`;
  }
}

function contentTypeOf(key: string): string {
  return CONTENT_TYPES.find(([ending]) => key.endsWith(ending))?.[1] ?? DEFAULT_CONTENT_TYPE;
}
