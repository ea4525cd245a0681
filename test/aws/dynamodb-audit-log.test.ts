import { PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  AUDIT_TABLE_ATTRIBUTES,
  AUDIT_TABLE_INDEXES,
  AUDIT_TABLE_KEY_SCHEMA,
  DynamoDbAuditLog,
} from '../../shared/aws/dynamodb-audit-log';
import type { AuditEvent } from '../../shared/pipeline/ports';
import { dynamoDbClient, useDynalite } from '../support/dynalite';

const DIGEST = `sha256:${'a'.repeat(64)}`;

function event(id: string, time: string, more: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id,
    type: 'scan.completed',
    time,
    actor: 'arn:aws:iam::123456789012:role/ci',
    image: { repository: 'payments/api', digest: DIGEST, tag: '1.4.2' },
    details: { decision: 'fail', counts: { critical: 2 }, previous: null, reasons: ['x'] },
    versions: { policyDigest: `sha256:${'c'.repeat(64)}`, dataVersion: 'v1', analyzerSet: 'a7' },
    ...more,
  };
}

describe('DynamoDbAuditLog', () => {
  const dynamo = useDynalite(
    {
      keySchema: AUDIT_TABLE_KEY_SCHEMA,
      attributes: AUDIT_TABLE_ATTRIBUTES,
      globalSecondaryIndexes: AUDIT_TABLE_INDEXES,
    },
    'audit',
  );
  const newLog = (client = dynamo().client) =>
    new DynamoDbAuditLog({ client, tableName: dynamo().tableName });
  const itemCount = async () =>
    (await dynamo().client.send(new ScanCommand({ TableName: dynamo().tableName }))).Items?.length;

  describe('when events are appended', () => {
    it('gives each back as it was given, by id', async () => {
      const log = newLog();
      const tagged = event('scan-1:scan.completed', '2026-11-29T10:00:00.000Z');
      const untagged = event('scan-2:scan.failed', '2026-11-29T10:00:01.000Z', {
        type: 'scan.failed',
        image: { repository: 'payments/api', digest: DIGEST },
      });
      const imageless = event('sync-9:vulnerability-data.updated', '2026-11-29T10:00:02Z', {
        type: 'vulnerability-data.updated',
        image: undefined,
        versions: {},
      });
      await log.append([tagged, untagged, imageless]);
      expect(await log.event(tagged.id)).toEqual(tagged);
      expect(await log.event(untagged.id)).toEqual(untagged);
      const { image: _, ...withoutImage } = imageless;
      expect(await log.event(imageless.id)).toEqual(withoutImage);
      expect(await log.event('no-such-event')).toBeUndefined();
    });

    it('stores one item per event, keyed EVENT#<id>, with its UTC day and time order', async () => {
      await newLog().append([event('e-1', '2026-11-30T00:30:00.000+01:00')]);
      const { Items = [] } = await dynamo().client.send(
        new ScanCommand({ TableName: dynamo().tableName }),
      );
      expect(Items).toEqual([
        expect.objectContaining({
          pk: { S: 'EVENT#e-1' },
          sk: { S: 'EVENT' },
          time: { S: '2026-11-30T00:30:00.000+01:00' },
          day: { S: '2026-11-29' },
          timeId: { S: '2026-11-29T23:30:00.000Z#e-1' },
        }),
      ]);
    });
  });

  describe('when an event id is appended again', () => {
    it('skips it, keeping the first record, whatever its time and details', async () => {
      const log = newLog();
      const first = event('scan-1:scan.completed', '2026-11-29T10:00:00.000Z');
      await log.append([first]);
      await log.append([
        event('scan-1:scan.completed', '2026-11-29T10:05:00.000Z', { details: { retried: true } }),
        event('scan-1:verdict.changed', '2026-11-29T10:05:00.000Z', { type: 'verdict.changed' }),
        event('scan-1:verdict.changed', '2026-11-29T10:05:00.000Z', { type: 'verdict.changed' }),
      ]);
      expect(await log.event(first.id)).toEqual(first);
      expect(await itemCount()).toBe(2);
    });

    it('records it once when two writers append it at the same moment (10 rounds)', async () => {
      const writers = [dynamoDbClient(dynamo().endpoint), dynamoDbClient(dynamo().endpoint)];
      try {
        for (let round = 0; round < 10; round++) {
          const time = `2026-11-29T10:00:0${round}.000Z`;
          await Promise.all(
            writers.map((client, i) =>
              newLog(client).append([event(`race-${round}`, time, { actor: `writer-${i}` })]),
            ),
          );
        }
      } finally {
        writers.forEach((client) => client.destroy());
      }
      expect(await itemCount()).toBe(10);
    });
  });

  describe('eventsOn', () => {
    it('lists the events of a UTC day in time order, then by id', async () => {
      const log = newLog();
      await log.append([
        event('c', '2026-11-29T12:00:00.000Z'),
        event('b', '2026-11-29T08:00:00.000Z'),
        event('a', '2026-11-29T12:00:00.000Z'),
        event('late', '2026-11-30T00:30:00+01:00'),
        event('next-day', '2026-11-30T00:00:00.000Z'),
        event('day-before', '2026-11-28T23:59:59.999Z'),
      ]);
      expect((await log.eventsOn('2026-11-29')).map((e) => e.id)).toEqual(['b', 'a', 'c', 'late']);
      expect((await log.eventsOn('2026-11-30')).map((e) => e.id)).toEqual(['next-day']);
      expect(await log.eventsOn('2026-12-01')).toEqual([]);
    });
  });

  describe('events', () => {
    it('lists every event of every day, oldest first, then by id', async () => {
      const log = newLog();
      await log.append([
        event('c', '2026-11-30T12:00:00.000Z'),
        event('b', '2026-11-29T08:00:00.000Z'),
        event('a', '2026-11-30T12:00:00.000Z'),
        event('late', '2026-11-30T00:30:00+01:00'),
      ]);
      const events = await log.events();
      expect(events.map((e) => e.id)).toEqual(['b', 'late', 'a', 'c']);
      expect(events[0]).toEqual(event('b', '2026-11-29T08:00:00.000Z'));
    });

    it('leaves out items that are not events', async () => {
      const log = newLog();
      await log.append([event('e', '2026-11-29T08:00:00.000Z')]);
      await dynamo().client.send(
        new PutItemCommand({
          TableName: dynamo().tableName,
          Item: { pk: { S: 'CHAIN#2026-11-29' }, sk: { S: 'SEQ#000000000001' } },
        }),
      );
      expect((await log.events()).map((e) => e.id)).toEqual(['e']);
    });
  });

  describe('failures', () => {
    it('fails as a bug, writing nothing of the batch, when an event has no parseable time', async () => {
      const log = newLog();
      await expect(
        log.append([event('good', '2026-11-29T10:00:00Z'), event('bad', 'yesterday')]),
      ).rejects.toMatchObject({ code: 'INVALID_REQUEST', kind: 'bug' });
      await expect(log.append([event('', '2026-11-29T10:00:00Z')])).rejects.toMatchObject({
        code: 'INVALID_REQUEST',
      });
      expect(await itemCount()).toBe(0);
    });

    it('fails as input, naming the table, when the table does not exist', async () => {
      const log = new DynamoDbAuditLog({ client: dynamo().client, tableName: 'no-such-audit' });
      await expect(log.append([event('e', '2026-11-29T10:00:00Z')])).rejects.toMatchObject({
        code: 'AWS_REQUEST_FAILED',
        kind: 'input',
        message: expect.stringContaining('PutItem on table no-such-audit failed'),
      });
      await expect(log.eventsOn('2026-11-29')).rejects.toMatchObject({
        code: 'AWS_REQUEST_FAILED',
        kind: 'input',
        message: expect.stringMatching(
          /^DynamoDB Query on index byDay of table no-such-audit failed: ResourceNotFoundException/,
        ),
      });
    });
  });
});
