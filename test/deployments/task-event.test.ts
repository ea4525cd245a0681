import {
  TaskStateChangeEvent,
  clusterName,
  groupOf,
  taskContainers,
} from '../../shared/deployments/task-event';
import {
  API_DIGEST,
  FARGATE_DIGEST,
  LOG_ROUTER_DIGEST,
  ecsTaskEvent,
  type EcsTaskEventName,
} from '../support/ecs-task-events';

const parse = (name: EcsTaskEventName) => TaskStateChangeEvent.parse(ecsTaskEvent(name));

describe('TaskStateChangeEvent', () => {
  it.each<EcsTaskEventName>([
    'running-fargate',
    'pending-fargate',
    'running-stopping',
    'stopped-fargate',
    'running-service',
  ])('parses %s, leaving the fields it does not read alone', (name) => {
    const event = parse(name);
    expect(event.detail.taskArn).toMatch(/^arn:aws:ecs:.+:task\//);
    expect(event.detail).not.toHaveProperty('attachments');
  });

  it('reads the documented sample: version, group, times and the running digest', () => {
    const { detail } = parse('running-fargate');
    expect(detail).toMatchObject({
      version: 4,
      group: 'family:sample-fargate',
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      startedAt: '2020-01-23T17:57:58.103Z',
      taskDefinitionArn: 'arn:aws:ecs:us-west-2:111122223333:task-definition/sample-fargate:1',
      containers: [
        {
          name: 'FargateApp',
          image: '111122223333.dkr.ecr.us-west-2.amazonaws.com/hello-repository:latest',
          imageDigest: FARGATE_DIGEST,
          lastStatus: 'RUNNING',
        },
      ],
    });
  });

  it.each([
    ['empty', '(root)'],
    ['malformed-no-task-arn', 'detail.taskArn'],
  ] as const)('fails when the event is %s, naming %s', (name, path) => {
    const parsed = TaskStateChangeEvent.safeParse(ecsTaskEvent(name));
    expect(parsed.success).toBe(false);
    const paths = parsed.error!.issues.map((i) => i.path.join('.') || '(root)');
    if (path !== '(root)') expect(paths).toContain(path);
  });

  it('fails when a digest is not sha256:<64 hex>', () => {
    const event = ecsTaskEvent('running-fargate') as { detail: { containers: object[] } };
    event.detail.containers[0] = { ...event.detail.containers[0], imageDigest: 'sha256:abc' };
    expect(TaskStateChangeEvent.safeParse(event).error?.issues[0]?.path).toEqual([
      'detail',
      'containers',
      0,
      'imageDigest',
    ]);
  });

  it('fails when the event is another detail-type of ECS', () => {
    const event = { ...ecsTaskEvent('running-fargate'), 'detail-type': 'ECS Service Action' };
    expect(TaskStateChangeEvent.safeParse(event).success).toBe(false);
  });
});

describe('taskContainers', () => {
  it('records a container with its digest', () => {
    expect(taskContainers(parse('running-fargate').detail)).toEqual({
      deployed: [
        {
          name: 'FargateApp',
          image: '111122223333.dkr.ecr.us-west-2.amazonaws.com/hello-repository:latest',
          digest: FARGATE_DIGEST,
        },
      ],
      pending: [],
    });
  });

  describe('when a container has no digest yet', () => {
    it('leaves it pending while it is PENDING', () => {
      expect(taskContainers(parse('pending-fargate').detail)).toEqual({
        deployed: [],
        pending: ['FargateApp'],
      });
    });

    it('records it without a digest once it runs (an image from outside ECR)', () => {
      const { deployed } = taskContainers(parse('running-service').detail);
      expect(deployed.map((c) => [c.name, c.digest])).toEqual([
        ['api', API_DIGEST],
        ['log_router', LOG_ROUTER_DIGEST],
        ['proxy', null],
      ]);
    });
  });
});

describe('clusterName and groupOf', () => {
  it('name the cluster of an ARN and the service or family of a group', () => {
    expect(clusterName('arn:aws:ecs:eu-west-1:123456789012:cluster/prod-east')).toBe('prod-east');
    expect(groupOf('service:payments-api')).toEqual({ service: 'payments-api' });
    expect(groupOf('family:sample-fargate')).toEqual({ family: 'sample-fargate' });
    expect(groupOf(undefined)).toEqual({});
  });
});
