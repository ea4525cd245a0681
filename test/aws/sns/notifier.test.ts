import { PutItemCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  AuthorizationErrorException,
  PublishCommand,
  SNSClient,
  ThrottledException,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import {
  IDEMPOTENCY_TABLE_ATTRIBUTES,
  IDEMPOTENCY_TABLE_KEY_SCHEMA,
} from '../../../shared/aws/dynamodb/claims';
import { AwsError } from '../../../shared/aws/errors';
import { SnsNotifier } from '../../../shared/aws/sns/notifier';
import { failureNotification, verdictNotification } from '../../../shared/notify/messages';
import type { Notification } from '../../../shared/notify/notifier';
import { failureOf } from '../../../shared/pipeline/record-failure';
import { dynamoDbClient, useDynalite } from '../../support/dynalite';
import { failingFirstScan } from '../../support/notified-scans';
import { failureInput } from '../../support/pipeline-scans';
import { notificationSchemaErrors } from '../../support/schemas';

const sns = mockClient(SNSClient);
const ALERTS = 'arn:aws:sns:eu-west-1:123456789012:clearance-alerts';
const OPERATIONS = 'arn:aws:sns:eu-west-1:123456789012:clearance-operations';

/** A real verdict notification, with another id and a body of its own. */
const NOTIFICATION: Notification = {
  ...verdictNotification(failingFirstScan),
  id: 'verdict:scan-1',
  subject: '[FAIL] payments/api:1.4.2 - 2 critical, secret found',
  body: 'Verdict: FAIL\n\nCVE-2024-0001 openssl 3.0.1 → 3.0.2\n',
};

const throttled = () =>
  new ThrottledException({ $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' });

/** A client of the same dynalite whose calls of `command` fail as if the network dropped. */
function failing(endpoint: string, command: string): DynamoDBClient {
  const client = dynamoDbClient(endpoint, { maxAttempts: 1 });
  client.middlewareStack.add(
    (next, context) => (args) => {
      if (context.commandName === command) return Promise.reject(new Error('socket hang up'));
      return next(args);
    },
    { step: 'initialize' },
  );
  return client;
}

describe('SnsNotifier', () => {
  const dynamo = useDynalite(
    { keySchema: IDEMPOTENCY_TABLE_KEY_SCHEMA, attributes: IDEMPOTENCY_TABLE_ATTRIBUTES },
    'idempotency',
  );
  let now: Date;
  const notifier = (dynamodb: DynamoDBClient = dynamo().client) =>
    new SnsNotifier({
      sns: new SNSClient({ region: 'eu-west-1' }),
      dynamodb,
      idempotencyTable: dynamo().tableName,
      alertsTopicArn: ALERTS,
      operationsTopicArn: OPERATIONS,
      now: () => now,
    });
  const published = () => sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
  const items = async () =>
    (await dynamo().client.send(new ScanCommand({ TableName: dynamo().tableName }))).Items ?? [];

  beforeEach(() => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'message-1' });
    now = new Date('2026-11-29T10:00:00.000Z');
  });

  describe('when a notification is published', () => {
    it('publishes a message per protocol, the subject and String attributes to the alerts topic', async () => {
      expect(await notifier().publish(NOTIFICATION)).toBe(true);
      expect(published()).toEqual([
        {
          TopicArn: ALERTS,
          Subject: NOTIFICATION.subject,
          MessageStructure: 'json',
          Message: expect.any(String),
          MessageAttributes: {
            verdict: { DataType: 'String', StringValue: 'fail' },
            maxSeverity: { DataType: 'String', StringValue: 'critical' },
            repository: { DataType: 'String', StringValue: 'payments/api' },
            eventType: { DataType: 'String', StringValue: 'verdict.changed' },
          },
        },
      ]);
    });

    it('sends e-mail the text, SMS the subject and every other protocol the JSON document', async () => {
      await notifier().publish(NOTIFICATION);
      const message = JSON.parse(published()[0]!.Message!) as Record<string, unknown>;
      expect(Object.keys(message).sort()).toEqual(['default', 'email', 'sms']);
      expect(message.email).toBe(NOTIFICATION.body);
      expect(message.sms).toBe(NOTIFICATION.subject);
      // SNS takes only string values: the document goes as JSON text, and parses back whole.
      expect(typeof message.default).toBe('string');
      expect(JSON.parse(message.default as string)).toEqual(NOTIFICATION.document);
      expect(notificationSchemaErrors(JSON.parse(message.default as string))).toEqual([]);
    });

    it('publishes the attributes the message carries, as the subscriptions read them', async () => {
      const failure = failureNotification(failureOf(failureInput()));
      await notifier().publish(failure);
      const attributes = published()[0]!.MessageAttributes!;
      expect(
        Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, v.StringValue])),
      ).toEqual(failure.attributes);
    });

    it('publishes an operations notification to the operations topic', async () => {
      await notifier().publish({ ...NOTIFICATION, id: 'failure:x', topic: 'operations' });
      expect(published()[0]?.TopicArn).toBe(OPERATIONS);
    });

    it('records the claim as done with the message id, expiring after 30 days', async () => {
      await notifier().publish(NOTIFICATION);
      expect(await items()).toEqual([
        expect.objectContaining({
          pk: { S: 'NOTIFICATION#verdict:scan-1' },
          doneAt: { S: now.toISOString() },
          outcome: { S: 'message-1' },
          expiration: { N: String(now.getTime() / 1000 + 30 * 24 * 3600) },
        }),
      ]);
    });

    it('puts the subject on one line under 100 characters and leaves out empty attributes', async () => {
      await notifier().publish({
        ...NOTIFICATION,
        subject: `[FAIL] ${'team/'.repeat(30)}api\r\n:1.4.2`,
        attributes: { verdict: 'fail', tag: '' },
      });
      const [input] = published();
      expect(input!.Subject).toHaveLength(99);
      expect(input!.Subject).toMatch(/^\[FAIL\] team\/team\/.*\.\.\.$/);
      expect(input!.Subject).not.toMatch(/[\r\n]/);
      expect(input!.MessageAttributes).toEqual({
        verdict: { DataType: 'String', StringValue: 'fail' },
      });
    });
  });

  it('writes any character of the subject that is not ASCII as ?', async () => {
    await notifier().publish({ ...NOTIFICATION, subject: '[FAIL] équipe/api — 2 critical' });
    expect(published()[0]!.Subject).toBe('[FAIL] ?quipe/api ? 2 critical');
  });

  describe('when the message is over the 256 KiB SNS takes', () => {
    it('fails as a bug, naming the notification and its size, without publishing', async () => {
      const huge = { ...NOTIFICATION, body: 'x'.repeat(262_144) };
      await expect(notifier().publish(huge)).rejects.toMatchObject({
        code: 'INVALID_REQUEST',
        kind: 'bug',
        message: expect.stringMatching(
          /^notification verdict:scan-1 is \d+ bytes; SNS takes at most 262144$/,
        ),
      });
      expect(published()).toHaveLength(0);
      expect(await items()).toEqual([]);
    });
  });

  describe('when the same notification is published again', () => {
    it('skips it and answers false', async () => {
      const first = notifier();
      expect(await first.publish(NOTIFICATION)).toBe(true);
      expect(await first.publish(NOTIFICATION)).toBe(false);
      expect(await notifier().publish({ ...NOTIFICATION, body: 'changed' })).toBe(false);
      expect(published()).toHaveLength(1);
    });

    it('publishes it once when two attempts run at the same moment', async () => {
      const outcomes = await Promise.allSettled([
        notifier().publish(NOTIFICATION),
        notifier().publish(NOTIFICATION),
      ]);
      expect(published()).toHaveLength(1);
      const values = outcomes.map((o): unknown => (o.status === 'fulfilled' ? o.value : o.reason));
      expect(values).toContain(true);
      const other = values.find((v) => v !== true);
      // The second attempt finds the first done (false), or still publishing (retried later).
      expect(other === false || (other as AwsError).code === 'NOTIFICATION_IN_FLIGHT').toBe(true);
    });

    it('publishes it again once its id has expired', async () => {
      await notifier().publish(NOTIFICATION);
      now = new Date(now.getTime() + 31 * 24 * 3600 * 1000);
      expect(await notifier().publish(NOTIFICATION)).toBe(true);
      expect(published()).toHaveLength(2);
    });
  });

  describe('when SNS fails', () => {
    it('fails as transient on throttling and publishes on the next attempt', async () => {
      sns.on(PublishCommand).rejectsOnce(throttled()).resolves({ MessageId: 'message-2' });
      const error = await notifier()
        .publish(NOTIFICATION)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AwsError);
      expect(error).toMatchObject({
        code: 'AWS_REQUEST_FAILED',
        kind: 'transient',
        message: `SNS Publish on topic ${ALERTS} failed: ThrottledException (HTTP 400): Rate exceeded`,
      });
      expect(await notifier().publish(NOTIFICATION)).toBe(true);
      expect(published()).toHaveLength(2);
    });

    it('fails as input when publishing is not authorised', async () => {
      sns
        .on(PublishCommand)
        .rejects(
          new AuthorizationErrorException({ $metadata: { httpStatusCode: 403 }, message: 'no' }),
        );
      await expect(notifier().publish(NOTIFICATION)).rejects.toMatchObject({ kind: 'input' });
    });
  });

  describe('when an attempt died between its claim and its publish', () => {
    async function deadClaim(claimedAt: Date) {
      await dynamo().client.send(
        new PutItemCommand({
          TableName: dynamo().tableName,
          Item: {
            pk: { S: 'NOTIFICATION#verdict:scan-1' },
            claimToken: { S: 'dead-attempt' },
            claimedMs: { N: String(claimedAt.getTime()) },
            expiration: { N: String(claimedAt.getTime() / 1000 + 3600) },
          },
        }),
      );
    }

    it('fails transient while the claim is fresh, so that the step is retried', async () => {
      await deadClaim(new Date(now.getTime() - 30_000));
      await expect(notifier().publish(NOTIFICATION)).rejects.toMatchObject({
        code: 'NOTIFICATION_IN_FLIGHT',
        kind: 'transient',
        message: expect.stringContaining('claimed at 2026-11-29T09:59:30.000Z'),
      });
      expect(published()).toHaveLength(0);
    });

    it('publishes once the claim is older than the claim timeout, and only then', async () => {
      await deadClaim(new Date(now.getTime() - 60_001));
      expect(await notifier().publish(NOTIFICATION)).toBe(true);
      expect(await notifier().publish(NOTIFICATION)).toBe(false);
      expect(published()).toHaveLength(1);
    });
  });

  describe('when the claim cannot be marked done after publishing', () => {
    it('still answers true, and a later attempt publishes only after the timeout', async () => {
      const client = failing(dynamo().endpoint, 'UpdateItemCommand');
      try {
        expect(await notifier(client).publish(NOTIFICATION)).toBe(true);
      } finally {
        client.destroy();
      }
      await expect(notifier().publish(NOTIFICATION)).rejects.toMatchObject({
        code: 'NOTIFICATION_IN_FLIGHT',
      });
      now = new Date(now.getTime() + 61_000);
      expect(await notifier().publish(NOTIFICATION)).toBe(true);
      expect(published()).toHaveLength(2);
    });
  });

  describe('when the idempotency table cannot be reached', () => {
    it('fails as transient without publishing', async () => {
      const client = failing(dynamo().endpoint, 'PutItemCommand');
      try {
        await expect(notifier(client).publish(NOTIFICATION)).rejects.toMatchObject({
          code: 'AWS_REQUEST_FAILED',
          kind: 'transient',
        });
      } finally {
        client.destroy();
      }
      expect(published()).toHaveLength(0);
    });
  });
});
