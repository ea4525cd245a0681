/*
 * The port the runtime gate stops tasks by. Adapter: shared/aws/ecs/task-stopper.ts (ECS
 * StopTask).
 */

/** A task, by its cluster's and its own ARN. */
export interface TaskRef {
  readonly clusterArn: string;
  readonly taskArn: string;
}

export interface TaskStopper {
  /**
   * Stops `task`, with `reason` (at most 255 characters) shown in its `stoppedReason`. Stopping a
   * task that is already stopping or stopped is not an error.
   */
  stop(task: TaskRef, reason: string): Promise<void>;
}
