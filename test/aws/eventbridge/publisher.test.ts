import {
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import {
  IDEMPOTENCY_TABLE_ATTRIBUTES,
  IDEMPOTENCY_TABLE_KEY_SCHEMA,
} from '../../../shared/aws/dynamodb/claims';
import { AwsError } from '../../../shared/aws/errors';
import { EventBridgePublisher, putEventsCommand } from '../../../shared/aws/eventbridge';
import type { ClearanceEvent } from '../../../shared/events';
import { verdictEvent } from '../../../shared/notify';
import { FAKE_CREDENTIALS, useDynalite } from '../../support/dynalite';
import { eventSchemaErrors } from '../../support/events';
import { sqs, useMotoServer } from '../../support/moto';
import { failingFirstScan, fixed } from '../../support/notified-scans';

const REGION = 'eu-west-1';
/** README's example rule: fail verdicts of repositories under `payments/`. */
const FAIL_VERDICTS_OF_PAYMENTS = {
  source: ['clearance'],
  'detail-type': ['Clearance Scan Verdict'],
  detail: { verdict: ['fail'], image: { repository: [{ prefix: 'payments/' }] } },
};

interface Received {
  readonly Messages?: readonly { readonly Body: string }[];
}

describe('EventBridgePublisher', () => {
  const dynamo = useDynalite(
    { keySchema: IDEMPOTENCY_TABLE_KEY_SCHEMA, attributes: IDEMPOTENCY_TABLE_ATTRIBUTES },
    'idempotency',
  );

  describe('against EventBridge (moto) with a rule to a queue', () => {
    const moto = useMotoServer();
    let client: EventBridgeClient;
    let queueUrl: string;
    let rules = 0;

    beforeEach(async () => {
      client = new EventBridgeClient({
        region: REGION,
        endpoint: moto(),
        credentials: FAKE_CREDENTIALS,
      });
      const rule = `fail-verdicts-${++rules}`;
      ({ QueueUrl: queueUrl } = await sqs<{ QueueUrl: string }>(moto(), 'CreateQueue', {
        QueueName: rule,
      }));
      await client.send(
        new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify(FAIL_VERDICTS_OF_PAYMENTS) }),
      );
      await client.send(
        new PutTargetsCommand({
          Rule: rule,
          Targets: [{ Id: 'queue', Arn: `arn:aws:sqs:${REGION}:123456789012:${rule}` }],
        }),
      );
    });
    afterEach(() => client.destroy());

    const publisher = () =>
      new EventBridgePublisher({
        client,
        dynamodb: dynamo().client,
        idempotencyTable: dynamo().tableName,
      });
    const received = async () => {
      const { Messages = [] } = await sqs<Received>(moto(), 'ReceiveMessage', {
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
      });
      return Messages.map((m) => JSON.parse(m.Body) as Record<string, unknown>);
    };

    it('puts an event the example rule routes, valid against its schema', async () => {
      const event = verdictEvent(failingFirstScan, (key) => `s3://artifacts/${key}`);
      expect(await publisher().publish(event)).toBe(true);
      const [delivered, ...more] = await received();
      expect(more).toEqual([]);
      expect(delivered).toMatchObject({
        source: 'clearance',
        'detail-type': 'Clearance Scan Verdict',
        resources: event.resources,
      });
      const detail = delivered!.detail as ClearanceEvent['detail'];
      expect(detail).toEqual(event.detail);
      expect(eventSchemaErrors({ detailType: 'Clearance Scan Verdict', detail })).toEqual([]);
    });

    it('does not route a passing verdict', async () => {
      await publisher().publish(verdictEvent(fixed));
      expect(await received()).toEqual([]);
    });

    it('puts an event once, however often it is published', async () => {
      const event = verdictEvent(failingFirstScan);
      expect(await publisher().publish(event)).toBe(true);
      expect(await publisher().publish(event)).toBe(false);
      expect(await received()).toHaveLength(1);
    });
  });

  describe('when PutEvents refuses the entry', () => {
    // Made in beforeAll: mockClient of the class stubs every client, moto's above included.
    let eventBridge: ReturnType<typeof mockClient>;
    beforeAll(() => {
      eventBridge = mockClient(EventBridgeClient);
    });
    beforeEach(() => eventBridge.reset());
    afterAll(() => eventBridge.restore());

    const publisher = () =>
      new EventBridgePublisher({
        client: new EventBridgeClient({ region: REGION }),
        dynamodb: dynamo().client,
        idempotencyTable: dynamo().tableName,
        backoffMs: 1,
      });
    const refused = (ErrorCode: string) => ({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode, ErrorMessage: `${ErrorCode} happened` }],
    });

    it('puts it again while the refusal is throttling, then succeeds', async () => {
      eventBridge
        .on(PutEventsCommand)
        .resolvesOnce(refused('ThrottlingException'))
        .resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
      expect(await publisher().publish(verdictEvent(failingFirstScan))).toBe(true);
      expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(2);
    });

    it('fails transient after the attempts, and a later attempt puts it', async () => {
      eventBridge.on(PutEventsCommand).resolves(refused('InternalException'));
      const event = verdictEvent(failingFirstScan);
      const error = await publisher()
        .publish(event)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AwsError);
      expect(error).toMatchObject({ code: 'AWS_REQUEST_FAILED', kind: 'transient' });
      expect((error as Error).message).toMatch(/InternalException/);
      expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(3);
      // The claim was released: the retried step puts it.
      eventBridge
        .on(PutEventsCommand)
        .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-2' }] });
      expect(await publisher().publish(event)).toBe(true);
    });

    it('fails at once when the entry is malformed (a bug)', async () => {
      eventBridge.on(PutEventsCommand).resolves(refused('MalformedDetail'));
      await expect(publisher().publish(verdictEvent(failingFirstScan))).rejects.toMatchObject({
        kind: 'bug',
      });
      expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(1);
    });

    it('fails as input when access is denied', async () => {
      eventBridge.on(PutEventsCommand).resolves(refused('AccessDeniedException'));
      await expect(publisher().publish(verdictEvent(failingFirstScan))).rejects.toMatchObject({
        kind: 'input',
      });
    });
  });
});

describe('putEventsCommand', () => {
  it('puts to the named bus with source clearance', () => {
    const event = verdictEvent(failingFirstScan);
    const { Entries } = putEventsCommand(event, 'default').input;
    expect(Entries).toEqual([
      expect.objectContaining({
        Source: 'clearance',
        DetailType: 'Clearance Scan Verdict',
        EventBusName: 'default',
        Detail: JSON.stringify(event.detail),
      }),
    ]);
  });

  it('fails when the entry is over 256 KiB', () => {
    const event = {
      ...verdictEvent(failingFirstScan),
      detail: { version: '1' as const, x: 'a'.repeat(300_000) },
    };
    expect(() => putEventsCommand(event, 'default')).toThrow(/at most 262144/);
  });
});
