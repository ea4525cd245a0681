import { ECSClient, StopTaskCommand } from '@aws-sdk/client-ecs';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { verifyTrail } from '../../../shared/audit/verify';
import type { AuditEvent } from '../../../shared/audit/events';
import { DynamoDbAuditLog } from '../../../shared/aws/dynamodb/audit-log';
import {
  IDEMPOTENCY_TABLE_ATTRIBUTES,
  IDEMPOTENCY_TABLE_KEY_SCHEMA,
} from '../../../shared/aws/dynamodb/claims';
import { DynamoDbVerdictStore } from '../../../shared/aws/dynamodb/verdict-store';
import {
  IMAGES_TABLE_ATTRIBUTES,
  IMAGES_TABLE_KEY_SCHEMA,
} from '../../../shared/aws/dynamodb/verdict-items';
import { EcsTaskStopper } from '../../../shared/aws/ecs/task-stopper';
import { SnsNotifier } from '../../../shared/aws/sns/notifier';
import type { RuntimeException, RuntimeGate } from '../../../shared/deployments/settings';
import { DEPLOYMENT_WATCH_STEP } from '../../../shared/deployments/watch';
import { bindStep } from '../../../shared/pipeline/step-binding';
import type { StoredVerdict } from '../../../shared/pipeline/ports';
import { AUDIT_TABLE } from '../../support/audit';
import { createTable, useDynalite } from '../../support/dynalite';
import {
  API_DIGEST,
  FARGATE_CLUSTER,
  FARGATE_DIGEST,
  FARGATE_TASK,
  LOG_ROUTER_DIGEST,
  SERVICE_TASK,
  ecsTaskEvent,
  storedVerdict,
  type EcsTaskEventName,
} from '../../support/ecs-task-events';
import { notificationSchemaErrors } from '../../support/schemas';

/*
 * The deployment-watch function's handler as its entry binds it (functions/deployment-watch/),
 * over dynalite (the images, audit and idempotency tables) with SNS and ECS mocked at the SDK,
 * fed the documented task state change events: once, twice, out of order, malformed.
 */

const sns = mockClient(SNSClient);
const ecs = mockClient(ECSClient);
const ALERTS = 'arn:aws:sns:eu-west-1:123456789012:clearance-alerts';
const ALERT_GATE: RuntimeGate = { enforcement: 'alert', clusters: ['*'], exceptions: [] };
const STOP_GATE: RuntimeGate = { ...ALERT_GATE, enforcement: 'stop' };

/** StopTask's response as the API reference documents it: the task, now desired STOPPED. */
function stopTaskResponse(reason: string) {
  return {
    task: {
      taskArn: FARGATE_TASK,
      clusterArn: FARGATE_CLUSTER,
      taskDefinitionArn: 'arn:aws:ecs:us-west-2:111122223333:task-definition/sample-fargate:1',
      group: 'family:sample-fargate',
      launchType: 'FARGATE' as const,
      lastStatus: 'RUNNING',
      desiredStatus: 'STOPPED',
      stopCode: 'UserInitiated' as const,
      stoppedReason: reason,
      stoppingAt: new Date('2020-01-23T18:05:12.530Z'),
      version: 5,
      containers: [
        {
          name: 'FargateApp',
          image: '111122223333.dkr.ecr.us-west-2.amazonaws.com/hello-repository:latest',
          imageDigest: FARGATE_DIGEST,
          lastStatus: 'RUNNING',
        },
      ],
    },
  };
}

describe('deployment-watch handler', () => {
  const dynamo = useDynalite(AUDIT_TABLE, 'audit');
  let images: string;
  let idempotency: string;
  let tables = 0;

  beforeEach(async () => {
    sns.reset();
    ecs.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'message-1' });
    ecs
      .on(StopTaskCommand)
      .callsFake((input: { reason: string }) => stopTaskResponse(input.reason));
    images = `images-${++tables}`;
    idempotency = `idempotency-${tables}`;
    const { client } = dynamo();
    await createTable(client, images, IMAGES_TABLE_KEY_SCHEMA, IMAGES_TABLE_ATTRIBUTES);
    await createTable(
      client,
      idempotency,
      IDEMPOTENCY_TABLE_KEY_SCHEMA,
      IDEMPOTENCY_TABLE_ATTRIBUTES,
    );
  });

  const audit = () =>
    new DynamoDbAuditLog({ client: dynamo().client, tableName: dynamo().tableName });
  const verdicts = () => new DynamoDbVerdictStore({ client: dynamo().client, tableName: images });

  function handler(gate: RuntimeGate = ALERT_GATE) {
    const { client } = dynamo();
    return bindStep(DEPLOYMENT_WATCH_STEP, {
      verdicts: verdicts(),
      audit: audit(),
      notifier: new SnsNotifier({
        sns: new SNSClient({ region: 'eu-west-1' }),
        dynamodb: client,
        idempotencyTable: idempotency,
        alertsTopicArn: ALERTS,
        operationsTopicArn: ALERTS,
      }),
      stopper: new EcsTaskStopper({ client: new ECSClient({ region: 'us-west-2' }) }),
      gate,
    });
  }

  async function record(digest: string, decision: StoredVerdict['decision'], repository: string) {
    const image = { registry: 'ecr', repository, digest, tag: 'latest' };
    await verdicts().record(image, storedVerdict(digest, decision));
  }

  const deliver = (gate: RuntimeGate, ...names: EcsTaskEventName[]) => {
    const handle = handler(gate);
    return names.reduce<Promise<unknown[]>>(
      async (done, name) => [...(await done), await handle(ecsTaskEvent(name))],
      Promise.resolve([]),
    );
  };
  const events = async () => audit().events();
  const ofType = async (type: AuditEvent['type']) =>
    (await events()).filter((e) => e.type === type);
  const published = () => sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
  const stops = () => ecs.commandCalls(StopTaskCommand).map((call) => call.args[0].input);
  const verified = async () => verifyTrail({ ...(await audit().trail()), anchors: [] }).problem;

  describe('when the documented RUNNING event arrives', () => {
    it('records image.deployed with the cluster, group, task, definition, container, image, digest and verdict', async () => {
      await record(FARGATE_DIGEST, 'fail', 'hello-repository');

      await deliver(ALERT_GATE, 'running-fargate');

      expect(await events()).toEqual([
        {
          id: `${FARGATE_TASK}/FargateApp@${FARGATE_DIGEST}:image.deployed`,
          type: 'image.deployed',
          time: '2020-01-23T17:57:58.103Z',
          actor: 'aws.ecs',
          image: { repository: 'hello-repository', digest: FARGATE_DIGEST, tag: 'latest' },
          details: {
            cluster: 'FargateCluster',
            clusterArn: FARGATE_CLUSTER,
            group: 'family:sample-fargate',
            family: 'sample-fargate',
            taskArn: FARGATE_TASK,
            taskDefinitionArn:
              'arn:aws:ecs:us-west-2:111122223333:task-definition/sample-fargate:1',
            launchType: 'FARGATE',
            eventVersion: 4,
            container: 'FargateApp',
            image: '111122223333.dkr.ecr.us-west-2.amazonaws.com/hello-repository:latest',
            imageDigest: FARGATE_DIGEST,
            verdict: 'fail',
            scanId: 'scan-fail',
            verdictRecordedAt: '2026-11-29T10:00:00.000Z',
            action: 'alerted',
            exception: null,
          },
          versions: {
            policyDigest: `sha256:${'c'.repeat(64)}`,
            dataVersion: 'osv-2026-11-29T00:00:00Z',
            analyzerSet: 'analyzers-7',
          },
        },
      ]);
      expect(await verified()).toBeUndefined();
    });

    it('alerts the alerts topic, naming cluster, group, container, image, digest and verdict', async () => {
      await record(FARGATE_DIGEST, 'fail', 'hello-repository');

      await deliver(ALERT_GATE, 'running-fargate');

      const [message] = published();
      expect(message).toMatchObject({
        TopicArn: ALERTS,
        Subject: '[DEPLOYED FAIL] FargateCluster/sample-fargate: hello-repository',
        MessageAttributes: {
          verdict: { DataType: 'String', StringValue: 'fail' },
          repository: { DataType: 'String', StringValue: 'hello-repository' },
          eventType: { DataType: 'String', StringValue: 'image.deployed' },
        },
      });
      const { email, default: json } = JSON.parse(message!.Message!) as Record<string, string>;
      for (const text of [
        'FargateCluster',
        'family:sample-fargate',
        'FargateApp',
        'hello-repository:latest',
        FARGATE_DIGEST,
        'Verdict: FAIL (scan scan-fail',
      ])
        expect(email).toContain(text);
      expect(notificationSchemaErrors(JSON.parse(json!))).toEqual([]);
    });

    it('records an image that passed without telling anyone', async () => {
      await record(FARGATE_DIGEST, 'pass', 'hello-repository');

      await expect(deliver(STOP_GATE, 'running-fargate')).resolves.toEqual([
        expect.objectContaining({ recorded: 1, alerts: 0, stopped: false }),
      ]);
      expect((await ofType('image.deployed'))[0]?.details.verdict).toBe('pass');
      expect(published()).toEqual([]);
      expect(stops()).toEqual([]);
    });

    it('alerts on an image that was never scanned, as unknown', async () => {
      await deliver(ALERT_GATE, 'running-fargate');

      expect((await ofType('image.deployed'))[0]?.details).toMatchObject({
        verdict: 'unknown',
        scanId: null,
      });
      expect(published()[0]?.Subject).toBe(
        '[DEPLOYED UNKNOWN] FargateCluster/sample-fargate: hello-repository',
      );
    });
  });

  describe('when EventBridge delivers the same event twice', () => {
    it('appends once and alerts once', async () => {
      const results = await deliver(ALERT_GATE, 'running-fargate', 'running-fargate');

      expect(await ofType('image.deployed')).toHaveLength(1);
      expect(published()).toHaveLength(1);
      expect(results).toEqual([
        expect.objectContaining({ recorded: 1, alerts: 1 }),
        expect.objectContaining({ recorded: 1, alerts: 0 }),
      ]);
      expect(await verified()).toBeUndefined();
    });
  });

  describe('when the events arrive out of order', () => {
    it('records nothing for a STOPPED event that comes before the RUNNING one', async () => {
      await expect(deliver(STOP_GATE, 'stopped-fargate')).resolves.toEqual([
        expect.objectContaining({ ignored: 'task is STOPPED, not RUNNING', recorded: 0 }),
      ]);
      expect(await events()).toEqual([]);
      expect(published()).toEqual([]);
      expect(stops()).toEqual([]);
    });

    it('records the deployment once, whatever the order of PENDING, RUNNING, stopping and STOPPED', async () => {
      await deliver(
        ALERT_GATE,
        'stopped-fargate',
        'running-stopping',
        'pending-fargate',
        'running-fargate',
        'running-fargate',
      );

      const deployed = await ofType('image.deployed');
      expect(deployed).toHaveLength(1);
      // The first RUNNING delivery (version 5, already stopping) recorded it: same id, same time.
      expect(deployed[0]?.details.eventVersion).toBe(5);
      expect(deployed[0]?.time).toBe('2020-01-23T17:57:58.103Z');
      expect(published()).toHaveLength(1);
      expect(await verified()).toBeUndefined();
    });

    it('waits for the digest of a PENDING container', async () => {
      await expect(deliver(ALERT_GATE, 'pending-fargate')).resolves.toEqual([
        expect.objectContaining({ ignored: 'task is PENDING, not RUNNING' }),
      ]);
      const pendingInRunningTask = ecsTaskEvent('pending-fargate') as {
        detail: Record<string, unknown>;
      };
      pendingInRunningTask.detail.lastStatus = 'RUNNING';
      await expect(handler()(pendingInRunningTask)).resolves.toMatchObject({
        recorded: 0,
        pending: ['FargateApp'],
      });
      expect(await events()).toEqual([]);
    });
  });

  describe('when a task runs containers of several images', () => {
    it('records each, alerting on the failing and the unknown ones', async () => {
      await record(API_DIGEST, 'fail', 'payments/api');
      await record(LOG_ROUTER_DIGEST, 'pass', 'platform/fluent-bit');

      await deliver(ALERT_GATE, 'running-service', 'running-service');

      const deployed = await ofType('image.deployed');
      expect(
        deployed.map((e) => [e.details.container, e.details.verdict, e.image?.digest]),
      ).toEqual([
        ['api', 'fail', API_DIGEST],
        ['log_router', 'pass', LOG_ROUTER_DIGEST],
        ['proxy', 'unknown', undefined],
      ]);
      expect(deployed[0]).toMatchObject({
        actor: 'ecs-svc/9781465370218341907',
        details: { group: 'service:payments-api', service: 'payments-api', cluster: 'prod-east' },
      });
      expect(published().map((p) => p.Subject)).toEqual([
        '[DEPLOYED FAIL] prod-east/payments-api: payments/api',
        '[DEPLOYED UNKNOWN] prod-east/payments-api: library/nginx',
      ]);
    });
  });

  describe('when enforcement is stop', () => {
    it('stops a task from a failing image, with a reason naming the verdict, and records the stop', async () => {
      await record(FARGATE_DIGEST, 'fail', 'hello-repository');

      await deliver(STOP_GATE, 'running-fargate');

      expect(stops()).toEqual([
        {
          cluster: FARGATE_CLUSTER,
          task: FARGATE_TASK,
          reason:
            'Clearance: container FargateApp image sha256:74b2c688c700… verdict fail (scan scan-fail)',
        },
      ]);
      const [stopped] = await ofType('deployment.stopped');
      expect(stopped).toMatchObject({
        id: `${FARGATE_TASK}:deployment.stopped`,
        image: { repository: 'hello-repository', digest: FARGATE_DIGEST },
        details: {
          cluster: 'FargateCluster',
          taskArn: FARGATE_TASK,
          reason: stops()[0]!.reason,
          containers: [{ container: 'FargateApp', imageDigest: FARGATE_DIGEST, verdict: 'fail' }],
        },
      });
      expect((await ofType('image.deployed'))[0]?.details.action).toBe('stopped');
      const { email } = JSON.parse(published()[0]!.Message!) as Record<string, string>;
      expect(email).toContain('Clearance stopped the task');
    });

    it('keeps its reason within the 255 characters ECS takes', async () => {
      const event = ecsTaskEvent('running-fargate') as {
        detail: { containers: { name: string }[] };
      };
      event.detail.containers[0]!.name = 'c'.repeat(300);

      await handler(STOP_GATE)(event);

      expect(stops()[0]?.reason?.length).toBeLessThanOrEqual(255);
    });

    it('records the stop once when the event is delivered again', async () => {
      await deliver(STOP_GATE, 'running-fargate', 'running-fargate');

      expect(await ofType('deployment.stopped')).toHaveLength(1);
      expect(published()).toHaveLength(1);
      expect(await verified()).toBeUndefined();
    });

    it('does not stop a task ECS is already stopping', async () => {
      await deliver(STOP_GATE, 'running-stopping');

      expect(stops()).toEqual([]);
      expect(await ofType('image.deployed')).toHaveLength(1);
    });

    it('fails transient when ECS throttles, and the retried delivery stops the task once', async () => {
      ecs.on(StopTaskCommand).rejectsOnce(
        Object.assign(new Error('Rate exceeded'), {
          name: 'ThrottlingException',
          $metadata: { httpStatusCode: 400 },
          $retryable: { throttling: true },
        }),
      );
      const handle = handler(STOP_GATE);

      await expect(handle(ecsTaskEvent('running-fargate'))).rejects.toMatchObject({
        name: 'Clearance.Transient',
        message: expect.stringContaining('ECS StopTask on task'),
      });
      expect(await ofType('image.deployed')).toHaveLength(1);
      expect(await ofType('deployment.stopped')).toEqual([]);

      await handle(ecsTaskEvent('running-fargate'));
      expect(await ofType('deployment.stopped')).toHaveLength(1);
      expect(await ofType('image.deployed')).toHaveLength(1);
      expect(await verified()).toBeUndefined();
    });
  });

  describe('when a runtime exception covers the deployment', () => {
    const exception: RuntimeException = {
      id: 'hello-migration',
      repositories: ['hello-*'],
      clusters: ['Fargate*'],
      owner: 'hello-team@example.com',
      reason: 'fixed image ships on Friday',
      expires: '2020-01-31',
    };

    it('alerts instead of stopping, and records exception.used once', async () => {
      await record(FARGATE_DIGEST, 'fail', 'hello-repository');

      await deliver(
        { ...STOP_GATE, exceptions: [exception] },
        'running-fargate',
        'running-fargate',
      );

      expect(stops()).toEqual([]);
      const used = await ofType('exception.used');
      expect(used).toEqual([
        expect.objectContaining({
          id: `${FARGATE_TASK}:hello-migration:exception.used`,
          details: expect.objectContaining({
            exception: 'hello-migration',
            kind: 'runtime',
            owner: 'hello-team@example.com',
            expires: '2020-01-31',
          }),
        }),
      ]);
      const { default: json, email } = JSON.parse(published()[0]!.Message!) as Record<
        string,
        string
      >;
      expect(JSON.parse(json!)).toMatchObject({
        action: 'excepted',
        exception: {
          id: 'hello-migration',
          owner: 'hello-team@example.com',
          expires: '2020-01-31',
        },
      });
      expect(email).toContain('fixed image ships on Friday');
    });

    it('judges the expiry on the UTC day the task started, whatever the offset of its time', async () => {
      await record(FARGATE_DIGEST, 'fail', 'hello-repository');
      const event = ecsTaskEvent('running-fargate') as { detail: Record<string, unknown> };
      // 2020-01-31 23:30 at -02:00 is 2020-02-01 in UTC: the day after the last day it applies.
      event.detail.startedAt = '2020-01-31T23:30:00.000-02:00';

      await handler({ ...STOP_GATE, exceptions: [exception] })(event);

      expect(stops()).toHaveLength(1);
      expect(await ofType('exception.expired')).toHaveLength(1);
    });

    it('stops anyway once it has expired, and reports it expired', async () => {
      await record(FARGATE_DIGEST, 'fail', 'hello-repository');
      const expired = { ...exception, expires: '2020-01-22' };

      await deliver({ ...STOP_GATE, exceptions: [expired] }, 'running-fargate');

      expect(stops()).toHaveLength(1);
      expect(await ofType('exception.used')).toEqual([]);
      expect(await ofType('exception.expired')).toEqual([
        expect.objectContaining({
          id: 'runtime-exception:hello-migration@2020-01-22:exception.expired',
          details: expect.objectContaining({ exception: 'hello-migration', kind: 'runtime' }),
        }),
      ]);
    });
  });

  describe('when the event is malformed', () => {
    it.each([
      ['empty', 'DeploymentWatch got a malformed input'],
      ['malformed-no-task-arn', 'detail.taskArn'],
    ] as const)('fails %s as Clearance.Input, appending nothing', async (name, message) => {
      await expect(handler(STOP_GATE)(ecsTaskEvent(name))).rejects.toMatchObject({
        name: 'Clearance.Input',
        message: expect.stringContaining(message),
      });
      expect(await events()).toEqual([]);
      expect(published()).toEqual([]);
      expect(stops()).toEqual([]);
    });

    it('leaves the trail whole for the events after it', async () => {
      await deliver(ALERT_GATE, 'running-service');
      await expect(handler()(ecsTaskEvent('malformed-no-task-arn'))).rejects.toThrow();
      await deliver(ALERT_GATE, 'running-fargate');

      expect(await ofType('image.deployed')).toHaveLength(4);
      expect(await verified()).toBeUndefined();
    });
  });

  it('names the task of the service event in every event it appends', async () => {
    await deliver(STOP_GATE, 'running-service');
    for (const event of await events())
      expect(JSON.stringify(event)).toContain(SERVICE_TASK.split('/').pop());
  });
});
