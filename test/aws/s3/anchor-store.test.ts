import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type GetObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { S3AnchorStore } from '../../../shared/aws/s3/anchor-store';

const s3 = mockClient(S3Client);
const BUCKET = 'clearance-anchors-123456789012';
const ANCHOR = {
  chain: '2026-11-29',
  seq: 42,
  hash: 'a'.repeat(64),
  time: '2026-11-29T10:00:00.000Z',
};
const KEY = 'audit-anchors/2026-11-29/2026-11-29T100000.000Z.json';

function body(text: string): GetObjectCommandOutput['Body'] {
  return {
    transformToString: () => Promise.resolve(text),
  } as unknown as GetObjectCommandOutput['Body'];
}

describe('S3AnchorStore', () => {
  const store = () =>
    new S3AnchorStore({ client: new S3Client({ region: 'eu-west-1' }), bucket: BUCKET });

  beforeEach(() => {
    s3.reset();
  });

  describe('put', () => {
    it('writes the anchor once under audit-anchors/<chain>/<time>.json, with a checksum for Object Lock', async () => {
      s3.on(PutObjectCommand).resolves({});
      expect(await store().put(ANCHOR)).toBe(`s3://${BUCKET}/${KEY}`);
      const input = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
      expect(input).toMatchObject({
        Bucket: BUCKET,
        Key: KEY,
        ContentType: 'application/json',
        ChecksumAlgorithm: 'SHA256',
        IfNoneMatch: '*',
      });
      expect(JSON.parse(input.Body as string)).toEqual(ANCHOR);
      // No retention header: the bucket's default retention decides.
      expect(input.ObjectLockMode).toBeUndefined();
    });

    it('fails naming the object when S3 refuses the write', async () => {
      s3.on(PutObjectCommand).rejects(
        new S3ServiceException({
          name: 'AccessDenied',
          $fault: 'client',
          $metadata: { httpStatusCode: 403 },
          message: 'Access Denied',
        }),
      );
      await expect(store().put(ANCHOR)).rejects.toMatchObject({
        code: 'AWS_REQUEST_FAILED',
        kind: 'input',
        message: `S3 PutObject on s3://${BUCKET}/${KEY} failed: AccessDenied (HTTP 403): Access Denied`,
      });
    });
  });

  describe('list', () => {
    it('reads every anchor of the chains from a day on, page after page, by key', async () => {
      const later = { ...ANCHOR, chain: '2026-11-30', time: '2026-11-30T01:00:00.000Z' };
      const laterKey = 'audit-anchors/2026-11-30/2026-11-30T010000.000Z.json';
      s3.on(ListObjectsV2Command, { ContinuationToken: undefined }).resolves({
        Contents: [{ Key: laterKey }],
        IsTruncated: true,
        NextContinuationToken: 'page-2',
      });
      s3.on(ListObjectsV2Command, { ContinuationToken: 'page-2' }).resolves({
        Contents: [{ Key: KEY }, { Key: 'audit-anchors/README.txt' }],
      });
      s3.on(GetObjectCommand, { Key: KEY }).resolves({ Body: body(JSON.stringify(ANCHOR)) });
      s3.on(GetObjectCommand, { Key: laterKey }).resolves({ Body: body(JSON.stringify(later)) });
      expect(await store().list('2026-11-29')).toEqual([
        { key: `s3://${BUCKET}/${KEY}`, anchor: ANCHOR },
        { key: `s3://${BUCKET}/${laterKey}`, anchor: later },
      ]);
      expect(s3.commandCalls(ListObjectsV2Command)[0]!.args[0].input).toMatchObject({
        Prefix: 'audit-anchors/',
        StartAfter: 'audit-anchors/2026-11-29',
      });
    });

    it('gives an object that is not an anchor, or is filed under another chain, as invalid', async () => {
      const moved = 'audit-anchors/2026-11-30/2026-11-29T100000.000Z.json';
      s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: KEY }, { Key: moved }] });
      s3.on(GetObjectCommand, { Key: KEY }).resolves({ Body: body('not json') });
      s3.on(GetObjectCommand, { Key: moved }).resolves({ Body: body(JSON.stringify(ANCHOR)) });
      expect(await store().list()).toEqual([
        { key: `s3://${BUCKET}/${KEY}`, chain: '2026-11-29', invalid: 'it is not JSON' },
        {
          key: `s3://${BUCKET}/${moved}`,
          chain: '2026-11-30',
          invalid: expect.stringContaining('its content says 2026-11-29/'),
        },
      ]);
    });
  });
});
