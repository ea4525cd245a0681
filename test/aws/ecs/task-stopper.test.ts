import {
  AccessDeniedException,
  ECSClient,
  InvalidParameterException,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { EcsTaskStopper } from '../../../shared/aws/ecs/task-stopper';
import { AwsError } from '../../../shared/aws/errors';

const ecs = mockClient(ECSClient);
const TASK = {
  clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/FargateCluster',
  taskArn:
    'arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/c13b4cb40f1f4fe4a2971f76ae5a47ad',
};
const stopper = () => new EcsTaskStopper({ client: new ECSClient({ region: 'us-west-2' }) });

describe('EcsTaskStopper', () => {
  beforeEach(() => {
    ecs.reset();
    // StopTask's response: the task, with the reason as its stoppedReason.
    ecs.on(StopTaskCommand).callsFake((input: { reason?: string }) => ({
      task: {
        ...TASK,
        lastStatus: 'RUNNING',
        desiredStatus: 'STOPPED',
        stoppedReason: input.reason,
      },
    }));
  });

  it('stops the task on its cluster with the reason', async () => {
    await stopper().stop(TASK, 'Clearance: image sha256:74b2c688c700… verdict fail (scan s-1)');

    expect(ecs.commandCalls(StopTaskCommand).map((c) => c.args[0].input)).toEqual([
      {
        cluster: TASK.clusterArn,
        task: TASK.taskArn,
        reason: 'Clearance: image sha256:74b2c688c700… verdict fail (scan s-1)',
      },
    ]);
  });

  it('cuts a reason to the 255 characters ECS takes', async () => {
    await stopper().stop(TASK, 'x'.repeat(400));

    expect(ecs.commandCalls(StopTaskCommand)[0]?.args[0].input.reason).toHaveLength(255);
  });

  it.each([
    [
      'denied (a cluster the grant does not name)',
      new AccessDeniedException({ $metadata: { httpStatusCode: 400 }, message: 'not authorized' }),
      'input',
    ],
    [
      'refused as a bad request',
      new InvalidParameterException({
        $metadata: { httpStatusCode: 400 },
        message: 'The referenced task was not found.',
      }),
      'bug',
    ],
    [
      'throttled',
      Object.assign(new Error('Rate exceeded'), {
        name: 'ThrottlingException',
        $metadata: { httpStatusCode: 400 },
      }),
      'transient',
    ],
  ])(
    'fails as AWS_REQUEST_FAILED when %s, naming the call and the task',
    async (_c, error, kind) => {
      ecs.on(StopTaskCommand).rejects(error);

      const thrown = await stopper()
        .stop(TASK, 'r')
        .catch((e: unknown) => e);
      expect(thrown).toBeInstanceOf(AwsError);
      expect(thrown).toMatchObject({ code: 'AWS_REQUEST_FAILED', kind });
      expect((thrown as Error).message).toContain(`ECS StopTask on task ${TASK.taskArn} failed`);
    },
  );
});
