import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ECSServiceException,
  ListClustersCommand,
  ListServicesCommand,
  ListTasksCommand,
  type Service,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { join } from 'node:path';
import { EcsInventoryCollector } from '../../../shared/aws/ecs';
import { AwsError } from '../../../shared/aws';
import { golden } from '../../support/golden';

/*
 * Answers shaped as the Amazon ECS API Reference documents them (ListClusters, ListServices,
 * DescribeServices, DescribeTaskDefinition, ListTasks, DescribeTasks: their response syntax and
 * examples), with the SDK's types: dates are Date objects.
 */

const ecs = mockClient(ECSClient);
const client = new ECSClient({ region: 'eu-west-1' });
const ACCOUNT = '123456789012';
const arn = (resource: string) => `arn:aws:ecs:eu-west-1:${ACCOUNT}:${resource}`;
const CREATED = new Date('2026-11-02T09:30:00Z');
const clock = () => new Date('2026-12-07T03:00:00Z');
const digest = (c: string) => `sha256:${c.repeat(64)}`;

function service(cluster: string, name: string, taskDefinition: string): Service {
  return {
    serviceArn: arn(`service/${cluster}/${name}`),
    serviceName: name,
    clusterArn: arn(`cluster/${cluster}`),
    status: 'ACTIVE',
    desiredCount: 1,
    runningCount: 1,
    pendingCount: 0,
    launchType: 'FARGATE',
    platformVersion: 'LATEST',
    taskDefinition,
    createdAt: CREATED,
    deployments: [
      {
        id: 'ecs-svc/9223370564342348388',
        status: 'PRIMARY',
        taskDefinition,
        desiredCount: 1,
        runningCount: 1,
        createdAt: CREATED,
        updatedAt: CREATED,
      },
    ],
  };
}

function taskDefinition(family: string, revision: number, extra: object = {}): TaskDefinition {
  return {
    taskDefinitionArn: arn(`task-definition/${family}:${revision}`),
    family,
    revision,
    status: 'ACTIVE',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      {
        name: family,
        image: `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/${family}:1.0`,
        essential: true,
        portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
        ...extra,
      },
    ],
    registeredAt: CREATED,
  };
}

function task(cluster: string, id: string, group: string, definition: string, d: string): Task {
  return {
    taskArn: arn(`task/${cluster}/${id}`),
    clusterArn: arn(`cluster/${cluster}`),
    taskDefinitionArn: definition,
    group,
    launchType: 'FARGATE',
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    startedAt: CREATED,
    containers: [
      {
        containerArn: arn(`container/${cluster}/${id}/c1`),
        taskArn: arn(`task/${cluster}/${id}`),
        name: definition.split('/')[1]!.split(':')[0],
        image: `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/app:1.0`,
        imageDigest: d,
        lastStatus: 'RUNNING',
      },
    ],
  };
}

/** ECS answering for `services` and `tasks` of one cluster, ListServices and ListTasks by pages. */
function cluster(
  name: string,
  services: Service[],
  tasks: Task[],
  pages: { services?: number; tasks?: number } = {},
): void {
  const clusterArn = arn(`cluster/${name}`);
  paged(
    ListServicesCommand,
    clusterArn,
    'serviceArns',
    services.map((s) => s.serviceArn!),
    pages.services ?? 10,
  );
  paged(
    ListTasksCommand,
    clusterArn,
    'taskArns',
    tasks.map((t) => t.taskArn!),
    pages.tasks ?? 100,
  );
  ecs
    .on(DescribeServicesCommand, { cluster: clusterArn })
    .callsFake((input: { services: string[] }) => ({
      services: services.filter((s) => input.services.includes(s.serviceArn!)),
      failures: [],
    }));
  ecs.on(DescribeTasksCommand, { cluster: clusterArn }).callsFake((input: { tasks: string[] }) => ({
    tasks: tasks.filter((t) => input.tasks.includes(t.taskArn!)),
    failures: [],
  }));
}

/** A List* call answering `arns` in pages of `size`, as `nextToken` asks. */
function paged(
  command: typeof ListServicesCommand | typeof ListTasksCommand,
  clusterArn: string,
  field: 'serviceArns' | 'taskArns',
  arns: string[],
  size: number,
): void {
  ecs.on(command, { cluster: clusterArn }).callsFake((input: { nextToken?: string }) => {
    const start = Number(input.nextToken ?? 0);
    const end = start + size;
    return {
      [field]: arns.slice(start, end),
      ...(end < arns.length && { nextToken: String(end) }),
    };
  });
}

function definitions(...defs: TaskDefinition[]): void {
  ecs.on(DescribeTaskDefinitionCommand).callsFake((input: { taskDefinition: string }) => {
    const found = defs.find((d) => d.taskDefinitionArn === input.taskDefinition);
    if (found === undefined)
      throw new ECSServiceException({
        name: 'ClientException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'Unable to describe task definition.',
      });
    return { taskDefinition: found, tags: [{ key: 'team', value: 'payments' }] };
  });
}

function calls(command: unknown) {
  return ecs
    .commandCalls(command as typeof ListClustersCommand)
    .map((c) => c.args[0].input as Record<string, unknown>);
}

beforeEach(() => {
  ecs.reset();
});

describe('EcsInventoryCollector', () => {
  describe('when a cluster has more services and tasks than one call takes', () => {
    const web = taskDefinition('web', 3);
    const worker = taskDefinition('worker', 7);
    // 12 services share two task definitions; 150 running tasks, one of them outside a service.
    const services = Array.from({ length: 12 }, (_, i) =>
      service(
        'prod',
        `svc-${String(i).padStart(2, '0')}`,
        i === 11 ? worker.taskDefinitionArn! : web.taskDefinitionArn!,
      ),
    );
    const tasks = Array.from({ length: 150 }, (_, i) => {
      const s = services[i % 11]!;
      return task(
        'prod',
        `t${String(i).padStart(3, '0')}`,
        `service:${s.serviceName}`,
        web.taskDefinitionArn!,
        digest('a'),
      );
    });
    const standalone = task(
      'prod',
      'z-batch',
      'family:worker',
      worker.taskDefinitionArn!,
      digest('b'),
    );

    beforeEach(() => {
      ecs.on(ListClustersCommand).resolves({ clusterArns: [arn('cluster/prod')] });
      cluster('prod', services, [...tasks, standalone], { services: 5 });
      definitions(web, worker);
    });

    it('lists every page and describes services 10 and tasks 100 at a time', async () => {
      const recording = await new EcsInventoryCollector({ client, clock }).collect();
      expect(calls(ListServicesCommand)).toHaveLength(3);
      expect(calls(DescribeServicesCommand).map((c) => (c.services as string[]).length)).toEqual([
        10, 2,
      ]);
      // The paginator reuses its input object, so each call is seen with the last token.
      expect(calls(ListTasksCommand)).toEqual([
        expect.objectContaining({ desiredStatus: 'RUNNING' }),
        expect.objectContaining({ desiredStatus: 'RUNNING' }),
      ]);
      expect(calls(DescribeTasksCommand).map((c) => (c.tasks as string[]).length)).toEqual([
        100, 51,
      ]);
      expect(recording.clusters[0]!.services).toHaveLength(12);
    });

    it('describes each task definition once, with its tags', async () => {
      const recording = await new EcsInventoryCollector({ client, clock }).collect();
      expect(calls(DescribeTaskDefinitionCommand)).toEqual([
        { taskDefinition: web.taskDefinitionArn, include: ['TAGS'] },
        { taskDefinition: worker.taskDefinitionArn, include: ['TAGS'] },
      ]);
      expect(recording.clusters[0]!.services[0]).toMatchObject({
        taskDefinition: { family: 'web', revision: 3 },
        taskDefinitionTags: [{ key: 'team', value: 'payments' }],
      });
    });

    it('gives each service its running tasks, and records the others by task definition', async () => {
      const [prod] = (await new EcsInventoryCollector({ client, clock }).collect()).clusters;
      const counts = prod!.services.map((s) => s.tasks.length);
      expect(counts.reduce((a, b) => a + b)).toBe(150);
      expect(counts[11]).toBe(0);
      expect(prod!.standaloneTasks).toEqual([
        expect.objectContaining({
          taskDefinition: expect.objectContaining({ family: 'worker' }),
          tasks: [expect.objectContaining({ group: 'family:worker' })],
        }),
      ]);
      expect(prod!.standaloneTasks[0]!.tasks[0]).toMatchObject({
        containers: [{ imageDigest: digest('b') }],
      });
    });

    it('writes dates as ISO text and names the account and region', async () => {
      const recording = await new EcsInventoryCollector({ client, clock }).collect();
      expect(recording).toMatchObject({
        recording: 'clearance/ecs-inventory/v1',
        region: 'eu-west-1',
        accountId: ACCOUNT,
        capturedAt: '2026-12-07T03:00:00.000Z',
      });
      expect(recording.clusters[0]!.services[0]!.service.createdAt).toBe(
        '2026-11-02T09:30:00.000Z',
      );
      expect(JSON.stringify(recording)).not.toContain('$metadata');
    });
  });

  describe('when one cluster cannot be listed', () => {
    it('records its error there and keeps the other cluster and its own running tasks', async () => {
      const web = taskDefinition('web', 1);
      ecs.on(ListClustersCommand).resolves({ clusterArns: [arn('cluster/b'), arn('cluster/a')] });
      cluster(
        'a',
        [service('a', 'web', web.taskDefinitionArn!)],
        [task('a', 't1', 'service:web', web.taskDefinitionArn!, digest('1'))],
      );
      cluster('b', [], [task('b', 't2', 'family:web', web.taskDefinitionArn!, digest('2'))]);
      ecs.on(ListServicesCommand, { cluster: arn('cluster/b') }).rejects(
        new ECSServiceException({
          name: 'AccessDeniedException',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
          message: 'User is not authorized to perform: ecs:ListServices',
        }),
      );
      definitions(web);
      const recording = await new EcsInventoryCollector({ client, clock }).collect();
      expect(recording.clusters.map((c) => [c.clusterName, c.error])).toEqual([
        ['a', undefined],
        [
          'b',
          expect.stringMatching(
            /^ECS ListServices on .*cluster\/b failed: AccessDeniedException \(HTTP 400\)/,
          ),
        ],
      ]);
      expect(recording.clusters[0]!.services[0]!.tasks).toHaveLength(1);
      expect(recording.clusters[1]!.standaloneTasks[0]!.tasks).toHaveLength(1);
    });
  });

  describe('when a task definition cannot be described', () => {
    it('records the error in its place and keeps the service and its tasks', async () => {
      const gone = arn('task-definition/gone:1');
      ecs.on(ListClustersCommand).resolves({ clusterArns: [arn('cluster/a')] });
      cluster(
        'a',
        [service('a', 'web', gone)],
        [task('a', 't1', 'service:web', gone, digest('1'))],
      );
      definitions();
      const [a] = (await new EcsInventoryCollector({ client, clock }).collect()).clusters;
      expect(a!.services[0]).toMatchObject({
        service: { serviceName: 'web' },
        taskDefinition: {
          error: expect.stringMatching(
            /^ECS DescribeTaskDefinition on .*gone:1 failed: ClientException/,
          ),
        },
        tasks: [{ taskArn: arn('task/a/t1') }],
      });
      expect(a!.error).toBeUndefined();
    });
  });

  describe('when DescribeServices reports a service as a failure', () => {
    it('keeps the service by its ARN with the reason', async () => {
      ecs.on(ListClustersCommand).resolves({ clusterArns: [arn('cluster/a')] });
      cluster('a', [], []);
      ecs.on(ListServicesCommand).resolves({ serviceArns: [arn('service/a/gone')] });
      ecs.on(DescribeServicesCommand).resolves({
        services: [],
        failures: [{ arn: arn('service/a/gone'), reason: 'MISSING' }],
      });
      const [a] = (await new EcsInventoryCollector({ client, clock }).collect()).clusters;
      expect(a!.services).toEqual([
        {
          service: { serviceArn: arn('service/a/gone') },
          taskDefinition: null,
          tasks: [],
          error: `ECS DescribeServices on ${arn('service/a/gone')}: MISSING`,
        },
      ]);
    });
  });

  describe('when there is no cluster', () => {
    it('records an empty inventory without an account', async () => {
      ecs.on(ListClustersCommand).resolves({ clusterArns: [] });
      expect(await new EcsInventoryCollector({ client, clock }).collect()).toEqual({
        recording: 'clearance/ecs-inventory/v1',
        region: 'eu-west-1',
        accountId: null,
        capturedAt: '2026-12-07T03:00:00.000Z',
        clusters: [],
      });
    });
  });

  it('fails when the clusters cannot be listed, as a transient AwsError when ECS throttles', async () => {
    ecs.on(ListClustersCommand).rejects(
      new ECSServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'Rate exceeded',
      }),
    );
    const failure = new EcsInventoryCollector({ client, clock }).collect();
    await expect(failure).rejects.toBeInstanceOf(AwsError);
    await expect(failure).rejects.toMatchObject({ code: 'AWS_REQUEST_FAILED', kind: 'transient' });
  });

  it('records a documented inventory as in the golden file (the local posture fixture)', async () => {
    documentedInventory();
    const recording = await new EcsInventoryCollector({ client, clock }).collect();
    const path = join(
      __dirname,
      '..',
      '..',
      'fixtures',
      'golden',
      'posture-run',
      'ecs-inventory.json',
    );
    expect(recording).toEqual(golden(path, recording));
  });
});

/**
 * One cluster as the API reference's examples describe it: a Fargate web service whose task
 * definition takes its secret from Secrets Manager, an EC2 service running privileged with the
 * Docker socket mounted, and a standalone migration task.
 */
function documentedInventory(): void {
  const web = taskDefinition('web', 12, {
    readonlyRootFilesystem: true,
    user: '1000',
    secrets: [
      {
        name: 'DB_PASSWORD',
        valueFrom: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:db-AbCdEf`,
      },
    ],
    logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' } },
  });
  const agent: TaskDefinition = {
    ...taskDefinition('agent', 4, {
      privileged: true,
      environment: [{ name: 'LOG_LEVEL', value: 'info' }],
      mountPoints: [{ sourceVolume: 'docker-socket', containerPath: '/var/run/docker.sock' }],
    }),
    networkMode: 'host',
    requiresCompatibilities: ['EC2'],
    volumes: [{ name: 'docker-socket', host: { sourcePath: '/var/run/docker.sock' } }],
  };
  const migrate = taskDefinition('migrate', 2);
  const agentService = {
    ...service('prod', 'agent', agent.taskDefinitionArn!),
    launchType: 'EC2' as const,
  };
  ecs.on(ListClustersCommand).resolves({ clusterArns: [arn('cluster/prod')] });
  cluster(
    'prod',
    [service('prod', 'web', web.taskDefinitionArn!), agentService],
    [
      task('prod', '0a1b2c', 'service:web', web.taskDefinitionArn!, digest('c')),
      {
        ...task('prod', '3d4e5f', 'service:agent', agent.taskDefinitionArn!, digest('d')),
        launchType: 'EC2',
      },
      task('prod', '6a7b8c', 'family:migrate', migrate.taskDefinitionArn!, digest('e')),
    ],
  );
  definitions(web, agent, migrate);
}
