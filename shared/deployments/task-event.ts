import { z } from 'zod';

/*
 * ECS's `ECS Task State Change` event, as EventBridge delivers it
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html): `detail`
 * resembles DescribeTasks' Task, with ISO times. Only the fields the watch reads are checked;
 * ECS adds fields over time, and unknown ones are left alone. EventBridge delivers at least once
 * and in any order: `detail.version` grows with each change of the task.
 */

const Time = z.string().datetime({ offset: true });
const Digest = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'expected sha256:<64 hex>');
const arnOf = (resource: string) =>
  z
    .string()
    .regex(
      new RegExp(`^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\\d{12}:${resource}/.+$`),
      `expected an ECS ${resource} ARN`,
    );

/** One container of the task; `imageDigest` is there once ECS pulled an image from ECR. */
export const TaskContainer = z.object({
  name: z.string().min(1),
  image: z.string().min(1).optional(),
  imageDigest: Digest.optional(),
  lastStatus: z.string().optional(),
});
export type TaskContainer = z.infer<typeof TaskContainer>;

export const TaskStateChangeEvent = z.object({
  id: z.string().min(1),
  source: z.literal('aws.ecs'),
  'detail-type': z.literal('ECS Task State Change'),
  time: Time,
  detail: z.object({
    clusterArn: arnOf('cluster'),
    taskArn: arnOf('task'),
    taskDefinitionArn: z.string().min(1),
    /** `service:NAME` for a task a service started, `family:NAME` for one run on its own. */
    group: z.string().min(1).optional(),
    lastStatus: z.string().min(1),
    desiredStatus: z.string().min(1).optional(),
    startedBy: z.string().min(1).optional(),
    startedAt: Time.optional(),
    updatedAt: Time.optional(),
    launchType: z.string().min(1).optional(),
    version: z.number().int().nonnegative(),
    containers: z.array(TaskContainer).default([]),
  }),
});
export type TaskStateChangeEvent = z.infer<typeof TaskStateChangeEvent>;
export type TaskDetail = TaskStateChangeEvent['detail'];

/** A container of a running task: its image, and the digest ECS runs (null: ECS named none). */
export interface DeployedContainer {
  readonly name: string;
  /** The image as the task definition names it. */
  readonly image: string;
  readonly digest: string | null;
}

/** What a task's event holds: the containers to record, and those not started yet. */
export interface TaskContainers {
  readonly deployed: readonly DeployedContainer[];
  /** Names of containers without a digest that are not running yet (PENDING): a later event records them. */
  readonly pending: readonly string[];
}

/**
 * The containers a RUNNING task runs. A container with a digest is recorded; one without is
 * recorded only once it runs (ECS reports no digest for an image from outside ECR, and such an
 * image has no verdict), else it waits for a later event of the task.
 */
export function taskContainers(detail: TaskDetail): TaskContainers {
  const deployed: DeployedContainer[] = [];
  const pending: string[] = [];
  for (const container of detail.containers) {
    const digest = container.imageDigest ?? null;
    if (digest === null && container.lastStatus !== 'RUNNING') pending.push(container.name);
    else deployed.push({ name: container.name, image: container.image ?? '', digest });
  }
  return { deployed, pending };
}

/** The name at the end of a cluster ARN (`arn:aws:ecs:…:cluster/NAME` → `NAME`). */
export function clusterName(clusterArn: string): string {
  return clusterArn.slice(clusterArn.indexOf(':cluster/') + ':cluster/'.length);
}

/** `service:api` → `{service: 'api'}`, `family:batch` → `{family: 'batch'}`. */
export function groupOf(group: string | undefined): { service?: string; family?: string } {
  if (group?.startsWith('service:')) return { service: group.slice('service:'.length) };
  if (group?.startsWith('family:')) return { family: group.slice('family:'.length) };
  return {};
}
