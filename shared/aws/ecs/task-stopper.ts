import { StopTaskCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { TaskRef, TaskStopper } from '../../deployments';
import { awsRequestError } from '..';

export interface EcsTaskStopperProps {
  /** Created once at module scope by the handler. */
  readonly client: ECSClient;
}

/** ECS takes a StopTask reason of up to 255 characters. */
const MAX_REASON = 255;

/**
 * The runtime gate's stopper: ECS StopTask on the task's cluster, with the reason ECS shows as
 * the task's `stoppedReason`. ECS answers a StopTask of a task already stopping or stopped with
 * the task, so a repeated stop is not an error. Failures are `AWS_REQUEST_FAILED`, transient
 * when ECS throttled or failed on its side (the delivery is then retried), input when the
 * function may not stop the task (AccessDenied: a cluster the stack's grant does not name).
 */
export class EcsTaskStopper implements TaskStopper {
  constructor(private readonly props: EcsTaskStopperProps) {}

  async stop(task: TaskRef, reason: string): Promise<void> {
    const command = new StopTaskCommand({
      cluster: task.clusterArn,
      task: task.taskArn,
      reason: reason.length <= MAX_REASON ? reason : `${reason.slice(0, MAX_REASON - 1)}…`,
    });
    try {
      await this.props.client.send(command);
    } catch (error) {
      throw awsRequestError('ECS StopTask', `task ${task.taskArn}`, error);
    }
  }
}
