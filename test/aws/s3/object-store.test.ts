import {
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type GetObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsError } from '../../../shared/aws/errors';
import { S3ObjectStore } from '../../../shared/aws/s3/object-store';

const s3 = mockClient(S3Client);
const BUCKET = 'clearance-artifacts-123456789012';
const KEY = 'layer-reports/a7/sha256/0f.json.gz';

/** A GetObject body as the SDK hands it out (only what the store reads of it). */
function body(bytes: Buffer): GetObjectCommandOutput['Body'] {
  return {
    transformToByteArray: () => Promise.resolve(new Uint8Array(bytes)),
  } as unknown as GetObjectCommandOutput['Body'];
}

function serviceError(name: string, status: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: `${name} happened`,
  });
}

describe('S3ObjectStore', () => {
  const store = () =>
    new S3ObjectStore({ client: new S3Client({ region: 'eu-west-1' }), bucket: BUCKET });

  beforeEach(() => {
    s3.reset();
  });

  describe('get', () => {
    it('gives the object’s bytes, asked for by bucket and key', async () => {
      const bytes = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff]);
      s3.on(GetObjectCommand).resolves({ Body: body(bytes) });
      expect(await store().get(KEY)).toEqual(bytes);
      expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input)).toEqual([
        { Bucket: BUCKET, Key: KEY },
      ]);
    });

    it('gives undefined when S3 answers NoSuchKey', async () => {
      s3.on(GetObjectCommand).rejects(
        new NoSuchKey({
          $metadata: { httpStatusCode: 404 },
          message: 'The specified key does not exist.',
        }),
      );
      expect(await store().get(KEY)).toBeUndefined();
    });

    it('fails as input, naming the object, when access is denied', async () => {
      s3.on(GetObjectCommand).rejects(serviceError('AccessDenied', 403));
      const error = await store()
        .get(KEY)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AwsError);
      expect(error).toMatchObject({
        code: 'AWS_REQUEST_FAILED',
        kind: 'input',
        message: `S3 GetObject on s3://${BUCKET}/${KEY} failed: AccessDenied (HTTP 403): AccessDenied happened`,
      });
    });

    it('fails as transient when S3 asks to slow down', async () => {
      s3.on(GetObjectCommand).rejects(serviceError('SlowDown', 503));
      await expect(store().get(KEY)).rejects.toMatchObject({ kind: 'transient' });
    });
  });

  describe('put', () => {
    it('sends the exact bytes with a content type, and no encryption header (the bucket’s default)', async () => {
      s3.on(PutObjectCommand).resolves({});
      const bytes = Buffer.from('{"a":1}\n');
      await store().put('scans/s-1/abc/sbom.cdx.json', bytes);
      await store().put('fleet/run-1/items.jsonl', bytes);
      await store().put(KEY, bytes);
      await store().put('scans/s-1/abc/blob', bytes);
      await store().put('scans/s-1/abc/report.html', bytes);
      expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input)).toEqual([
        {
          Bucket: BUCKET,
          Key: 'scans/s-1/abc/sbom.cdx.json',
          Body: bytes,
          ContentType: 'application/json',
        },
        {
          Bucket: BUCKET,
          Key: 'fleet/run-1/items.jsonl',
          Body: bytes,
          ContentType: 'application/x-ndjson',
        },
        { Bucket: BUCKET, Key: KEY, Body: bytes, ContentType: 'application/gzip' },
        {
          Bucket: BUCKET,
          Key: 'scans/s-1/abc/blob',
          Body: bytes,
          ContentType: 'application/octet-stream',
        },
        {
          Bucket: BUCKET,
          Key: 'scans/s-1/abc/report.html',
          Body: bytes,
          ContentType: 'text/html; charset=utf-8',
        },
      ]);
    });

    it('fails as transient when S3 throttles', async () => {
      s3.on(PutObjectCommand).rejects(serviceError('ThrottlingException', 400));
      await expect(store().put(KEY, Buffer.from('x'))).rejects.toMatchObject({
        code: 'AWS_REQUEST_FAILED',
        kind: 'transient',
      });
    });
  });

  describe('list', () => {
    it('gives every key under the prefix across pages, sorted', async () => {
      s3.on(ListObjectsV2Command)
        .resolvesOnce({
          IsTruncated: true,
          NextContinuationToken: 'page-2',
          Contents: [{ Key: 'fleet/run-2/summary.json' }, { Key: 'fleet/run-1/items.jsonl' }],
        })
        .resolvesOnce({ IsTruncated: false, Contents: [{ Key: 'fleet/run-1/results/m.json' }] });
      expect(await store().list('fleet/')).toEqual([
        'fleet/run-1/items.jsonl',
        'fleet/run-1/results/m.json',
        'fleet/run-2/summary.json',
      ]);
      expect(s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input)).toEqual([
        { Bucket: BUCKET, Prefix: 'fleet/', ContinuationToken: undefined },
        { Bucket: BUCKET, Prefix: 'fleet/', ContinuationToken: 'page-2' },
      ]);
    });

    it('gives nothing for an empty prefix listing', async () => {
      s3.on(ListObjectsV2Command).resolves({ IsTruncated: false });
      expect(await store().list('absent/')).toEqual([]);
    });
  });

  describe('keys', () => {
    it.each(['../outside', 'a//b', '/etc/passwd', '', 'a/./b', 'a/b c'])(
      'refuses the key %j as the directory store does, without calling S3',
      async (key) => {
        await expect(store().get(key)).rejects.toMatchObject({ code: 'INVALID_OBJECT_KEY' });
        await expect(store().put(key, Buffer.from('x'))).rejects.toMatchObject({
          code: 'INVALID_OBJECT_KEY',
        });
        expect(s3.calls()).toHaveLength(0);
      },
    );

    it('refuses a prefix that could not start a valid key', async () => {
      await expect(store().list('../')).rejects.toMatchObject({ code: 'INVALID_OBJECT_KEY' });
      expect(s3.calls()).toHaveLength(0);
    });
  });
});
