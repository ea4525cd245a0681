import { PutItemCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createServer } from 'node:net';
import {
  DynamoDbVerdictStore,
  IMAGES_TABLE_ATTRIBUTES,
  IMAGES_TABLE_KEY_SCHEMA,
} from '../../../shared/aws/dynamodb/verdict-store';
import { AwsError } from '../../../shared/aws/errors';
import type { StoredVerdict } from '../../../shared/pipeline/ports';
import type { ImageTarget } from '../../../shared/pipeline/states';
import { FAKE_CREDENTIALS, dynamoDbClient, useDynalite } from '../../support/dynalite';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const OTHER = `sha256:${'b'.repeat(64)}`;
const IMAGE: ImageTarget = {
  registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
  repository: 'payments/api',
  digest: DIGEST,
  tag: '1.4.2',
};
const UNTAGGED: ImageTarget = { ...IMAGE, tag: undefined };

function verdict(scanId: string, recordedAt: string, more: Partial<StoredVerdict> = {}) {
  return {
    digest: DIGEST,
    decision: 'fail',
    scanId,
    recordedAt,
    severeFindings: ['CVE-2024-0001', 'GHSA-xxxx-yyyy-zzzz'],
    policyDigest: `sha256:${'c'.repeat(64)}`,
    dataVersion: 'osv-2026-11-29T00:00:00Z',
    analyzerSet: 'analyzers-7',
    platforms: [
      {
        platform: 'linux/amd64',
        manifestDigest: `sha256:${'d'.repeat(64)}`,
        reportKey: `scans/${scanId}/${'d'.repeat(64)}/report.json`,
      },
    ],
    ...more,
  } satisfies StoredVerdict;
}

/** Every item of the table as `pk | sk`, sorted. */
async function keysOf(client: DynamoDBClient, table: string): Promise<string[]> {
  const { Items = [] } = await client.send(new ScanCommand({ TableName: table }));
  return Items.map((item) => `${item.pk?.S} | ${item.sk?.S}`).sort();
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('DynamoDbVerdictStore', () => {
  const dynamo = useDynalite(
    { keySchema: IMAGES_TABLE_KEY_SCHEMA, attributes: IMAGES_TABLE_ATTRIBUTES },
    'images',
  );
  const NOW = new Date('2026-11-29T10:00:00.000Z');
  const newStore = (client: DynamoDBClient = dynamo().client) =>
    new DynamoDbVerdictStore({ client, tableName: dynamo().tableName, now: () => NOW });

  describe('when nothing is recorded', () => {
    it('answers undefined for the digest and for repository:tag', async () => {
      const store = newStore();
      expect(await store.verdictOf(DIGEST)).toBeUndefined();
      expect(await store.lastVerdictOf('payments/api', '1.4.2')).toBeUndefined();
      expect(await store.lastVerdictOf('payments/api', undefined)).toBeUndefined();
    });
  });

  describe('when a verdict is recorded', () => {
    it('gives it back as the digest’s and as repository:tag’s, under the documented keys', async () => {
      const store = newStore();
      const first = verdict('scan-1', '2026-11-29T09:00:00.000Z');
      await store.record(IMAGE, first);
      expect(await store.verdictOf(DIGEST)).toEqual(first);
      expect(await store.lastVerdictOf('payments/api', '1.4.2')).toEqual(first);
      expect(await store.lastVerdictOf('payments/api', '1.4.3')).toBeUndefined();
      expect(await store.lastVerdictOf('payments/api', undefined)).toBeUndefined();
      expect(await keysOf(dynamo().client, dynamo().tableName)).toEqual([
        `DIGEST#${DIGEST} | VERDICT`,
        'REPO#payments/api | TAG#1.4.2',
      ]);
    });

    it('keeps empty versions and no findings as they are', async () => {
      const store = newStore();
      const bare = verdict('scan-1', '2026-11-29T09:00:00.000Z', {
        decision: 'pass',
        severeFindings: [],
        policyDigest: '',
        dataVersion: '',
        platforms: [],
      });
      await store.record(IMAGE, bare);
      expect(await store.verdictOf(DIGEST)).toEqual(bare);
    });

    it('records an untagged push as the repository’s last untagged verdict', async () => {
      const store = newStore();
      const first = verdict('scan-1', '2026-11-29T09:00:00.000Z');
      await store.record(UNTAGGED, first);
      expect(await store.lastVerdictOf('payments/api', undefined)).toEqual(first);
      expect(await keysOf(dynamo().client, dynamo().tableName)).toEqual([
        `DIGEST#${DIGEST} | VERDICT`,
        'REPO#payments/api | UNTAGGED',
      ]);
    });
  });

  describe('when the same scan is recorded again', () => {
    it('changes nothing, even with another time and decision', async () => {
      const store = newStore();
      const first = verdict('scan-1', '2026-11-29T09:00:00.000Z');
      await store.record(IMAGE, first);
      await store.record(
        IMAGE,
        verdict('scan-1', '2026-11-29T09:30:00.000Z', { decision: 'pass' }),
      );
      expect(await store.verdictOf(DIGEST)).toEqual(first);
      expect(await store.lastVerdictOf('payments/api', '1.4.2')).toEqual(first);
    });
  });

  describe('when a newer scan is recorded', () => {
    it('replaces the digest’s and the tag’s verdict', async () => {
      const store = newStore();
      await store.record(IMAGE, verdict('scan-1', '2026-11-29T09:00:00.000Z'));
      const newer = verdict('scan-2', '2026-11-29T09:00:00.001Z', { decision: 'pass' });
      await store.record(IMAGE, newer);
      expect(await store.verdictOf(DIGEST)).toEqual(newer);
      expect(await store.lastVerdictOf('payments/api', '1.4.2')).toEqual(newer);
    });

    it('gives the tag the newer digest’s verdict, and keeps each digest’s own', async () => {
      const store = newStore();
      const old = verdict('scan-1', '2026-11-29T09:00:00.000Z');
      await store.record(IMAGE, old);
      const moved = verdict('scan-2', '2026-11-29T10:00:00.000Z', { digest: OTHER });
      await store.record({ ...IMAGE, digest: OTHER }, moved);
      expect(await store.lastVerdictOf('payments/api', '1.4.2')).toEqual(moved);
      expect(await store.verdictOf(DIGEST)).toEqual(old);
      expect(await store.verdictOf(OTHER)).toEqual(moved);
    });
  });

  describe('when an older scan is recorded after a newer one', () => {
    it('never replaces the newer verdict', async () => {
      const store = newStore();
      const newer = verdict('scan-2', '2026-11-29T10:00:00.000Z', { decision: 'pass' });
      await store.record(IMAGE, newer);
      // Another offset, earlier instant: the order is by time, not by the string.
      await store.record(IMAGE, verdict('scan-1', '2026-11-29T10:30:00.000+01:00'));
      expect(await store.verdictOf(DIGEST)).toEqual(newer);
      expect(await store.lastVerdictOf('payments/api', '1.4.2')).toEqual(newer);
    });
  });

  describe('when two scans of one digest are recorded at once', () => {
    it('always ends with the newer verdict in both items, whatever the order (20 rounds)', async () => {
      const writers = [dynamoDbClient(dynamo().endpoint), dynamoDbClient(dynamo().endpoint)];
      try {
        for (let round = 0; round < 20; round++) {
          const image = { ...IMAGE, tag: `round-${round}`, digest: roundDigest(round) };
          const older = verdict(`r${round}-a`, '2026-11-29T09:00:00.000Z', {
            digest: image.digest,
          });
          const newer = verdict(`r${round}-b`, '2026-11-29T09:00:01.000Z', {
            digest: image.digest,
          });
          const [x, y] = round % 2 === 0 ? [older, newer] : [newer, older];
          await Promise.all([
            new DynamoDbVerdictStore({ client: writers[0]!, tableName: dynamo().tableName }).record(
              image,
              x,
            ),
            new DynamoDbVerdictStore({ client: writers[1]!, tableName: dynamo().tableName }).record(
              image,
              y,
            ),
          ]);
          expect(await newStore().verdictOf(image.digest)).toEqual(newer);
          expect(await newStore().lastVerdictOf(image.repository, image.tag)).toEqual(newer);
        }
      } finally {
        writers.forEach((client) => client.destroy());
      }
    });

    it('ends with the larger scan id when both were recorded at the same time', async () => {
      for (const order of [
        ['scan-a', 'scan-b'],
        ['scan-b', 'scan-a'],
      ]) {
        const image = { ...IMAGE, tag: order.join('-') };
        const store = newStore();
        await Promise.all(
          order.map((id) => store.record(image, verdict(id, '2026-11-29T09:00:00.000Z'))),
        );
        expect((await store.lastVerdictOf(image.repository, image.tag))?.scanId).toBe('scan-b');
      }
    });
  });

  describe('promotion markers', () => {
    const EXPIRES = new Date('2026-11-29T10:15:00.000Z');

    it('hold for the repository and digest marked until they expire', async () => {
      const store = newStore();
      await store.markPromotion('release/api', DIGEST, EXPIRES);
      expect(await store.isPromotion('release/api', DIGEST, NOW)).toBe(true);
      expect(await store.isPromotion('release/api', DIGEST, new Date(EXPIRES.getTime() - 1))).toBe(
        true,
      );
      expect(await store.isPromotion('release/api', DIGEST, EXPIRES)).toBe(false);
      expect(await store.isPromotion('payments/api', DIGEST, NOW)).toBe(false);
      expect(await store.isPromotion('release/api', OTHER, NOW)).toBe(false);
    });

    it('carry the TTL attribute `expiration` in epoch seconds', async () => {
      await newStore().markPromotion('release/api', DIGEST, new Date('2026-11-29T10:15:00.500Z'));
      const { Items = [] } = await dynamo().client.send(
        new ScanCommand({ TableName: dynamo().tableName }),
      );
      expect(Items).toEqual([
        expect.objectContaining({
          pk: { S: 'REPO#release/api' },
          sk: { S: `PROMOTION#${DIGEST}` },
          expiration: { N: String(Date.parse('2026-11-29T10:15:01Z') / 1000) },
        }),
      ]);
    });

    it('keep the later expiry when marked again with an earlier one', async () => {
      const store = newStore();
      await store.markPromotion('release/api', DIGEST, EXPIRES);
      await store.markPromotion('release/api', DIGEST, new Date(NOW.getTime() + 1000));
      expect(await store.isPromotion('release/api', DIGEST, new Date(NOW.getTime() + 60_000))).toBe(
        true,
      );
    });
  });

  describe('block', () => {
    it('records the digest as blocked with where, which scan, why and when', async () => {
      const store = newStore();
      await store.block(IMAGE, 'scan-1', 'policy: 2 critical');
      expect(await store.blockOf(DIGEST)).toEqual({
        digest: DIGEST,
        repository: 'payments/api',
        tag: '1.4.2',
        scanId: 'scan-1',
        reason: 'policy: 2 critical',
        blockedAt: NOW.toISOString(),
      });
      expect(await store.blockOf(OTHER)).toBeUndefined();
    });

    it('keeps the first record of a scan blocking again, and takes another scan’s', async () => {
      const store = newStore();
      await store.block(UNTAGGED, 'scan-1', 'first');
      await store.block(UNTAGGED, 'scan-1', 'retried');
      expect(await store.blockOf(DIGEST)).toMatchObject({ reason: 'first' });
      expect((await store.blockOf(DIGEST))?.tag).toBeUndefined();
      await store.block(UNTAGGED, 'scan-2', 'rescanned');
      expect(await store.blockOf(DIGEST)).toMatchObject({ scanId: 'scan-2', reason: 'rescanned' });
    });
  });

  describe('failures', () => {
    it('fails with a transient AwsError naming the table when DynamoDB cannot be reached', async () => {
      const client = dynamoDbClient(`http://127.0.0.1:${await closedPort()}`, { maxAttempts: 1 });
      const error = await newStore(client)
        .verdictOf(DIGEST)
        .catch((e: unknown) => e);
      client.destroy();
      expect(error).toBeInstanceOf(AwsError);
      expect(error).toMatchObject({ code: 'AWS_REQUEST_FAILED', kind: 'transient' });
      expect((error as Error).message).toMatch(
        new RegExp(`^DynamoDB GetItem on table ${dynamo().tableName} failed: `),
      );
      expect((error as Error).message).not.toContain(FAKE_CREDENTIALS.secretAccessKey);
    });

    it('fails as input when the table does not exist', async () => {
      const store = new DynamoDbVerdictStore({ client: dynamo().client, tableName: 'no-such' });
      await expect(store.record(IMAGE, verdict('scan-1', NOW.toISOString()))).rejects.toMatchObject(
        { code: 'AWS_REQUEST_FAILED', kind: 'input' },
      );
    });

    it('fails as a bug when the stored item is not a verdict', async () => {
      await dynamo().client.send(
        new PutItemCommand({
          TableName: dynamo().tableName,
          Item: { pk: { S: `DIGEST#${DIGEST}` }, sk: { S: 'VERDICT' }, decision: { S: 'maybe' } },
        }),
      );
      await expect(newStore().verdictOf(DIGEST)).rejects.toMatchObject({
        code: 'INVALID_STORED_ITEM',
        kind: 'bug',
      });
    });

    it('fails as a bug, writing nothing, when the verdict is of another digest or time', async () => {
      const store = newStore();
      await expect(
        store.record({ ...IMAGE, digest: OTHER }, verdict('scan-1', NOW.toISOString())),
      ).rejects.toMatchObject({ code: 'INVALID_REQUEST', kind: 'bug' });
      await expect(store.record(IMAGE, verdict('scan-1', 'yesterday'))).rejects.toMatchObject({
        code: 'INVALID_REQUEST',
        kind: 'bug',
      });
      expect(await keysOf(dynamo().client, dynamo().tableName)).toEqual([]);
    });
  });
});

function roundDigest(round: number): string {
  return `sha256:${round.toString(16).padStart(64, '0')}`;
}
