import type { AuditEvent } from '../audit';
import { auditEventId } from '../pipeline';
import type { ContainerDecision, TaskDecision } from './decide';
import type { RuntimeException } from './settings';
import { clusterName, groupOf, type TaskStateChangeEvent } from './task-event';

/*
 * The audit events of a deployment. Their ids are made of what does not change between
 * deliveries of the task's events (its ARN, the container's name, the digest), and their times
 * of when the task started, so a duplicate or out-of-order delivery appends nothing new:
 * `image.deployed` per container and digest, `exception.used` per task and exception,
 * `deployment.stopped` per task, `exception.expired` per runtime exception and expiry.
 */

/** The id of a container's `image.deployed` event, and of the alert about it. */
export function deploymentId(taskArn: string, container: string, digest: string | null): string {
  return `${taskArn}/${container}@${digest ?? 'no-digest'}`;
}

/** `image.deployed` per container, then what the gate's exceptions did, in that order. */
export function deploymentEvents(
  event: TaskStateChangeEvent,
  decision: TaskDecision,
): AuditEvent[] {
  return [
    ...decision.containers.map((d) => deployed(event, d)),
    ...expiredExceptions(event, decision),
    ...exceptionsUsed(event, decision),
  ];
}

/** `deployment.stopped`: the task was stopped, with why (the containers not trusted). */
export function stoppedEvent(
  event: TaskStateChangeEvent,
  decision: TaskDecision,
  reason: string,
): AuditEvent {
  const stopped = decision.containers.filter((d) => d.action === 'stopped');
  return {
    ...common(event, stopped[0]),
    id: auditEventId(event.detail.taskArn, 'deployment.stopped'),
    type: 'deployment.stopped',
    details: { ...taskDetails(event), reason, containers: stopped.map(containerDetails) },
  };
}

function deployed(event: TaskStateChangeEvent, d: ContainerDecision): AuditEvent {
  const { name, digest } = d.container;
  return {
    ...common(event, d),
    id: auditEventId(deploymentId(event.detail.taskArn, name, digest), 'image.deployed'),
    type: 'image.deployed',
    details: {
      ...taskDetails(event),
      ...containerDetails(d),
      scanId: d.stored?.scanId ?? null,
      verdictRecordedAt: d.stored?.recordedAt ?? null,
      action: d.action,
      exception: d.exception?.id ?? null,
    },
    versions:
      d.stored === undefined
        ? {}
        : {
            policyDigest: d.stored.policyDigest,
            dataVersion: d.stored.dataVersion,
            analyzerSet: d.stored.analyzerSet,
          },
  };
}

function exceptionsUsed(event: TaskStateChangeEvent, decision: TaskDecision): AuditEvent[] {
  const used = new Map<string, { exception: RuntimeException; containers: ContainerDecision[] }>();
  for (const d of decision.containers) {
    if (d.exception === undefined) continue;
    const entry = used.get(d.exception.id) ?? { exception: d.exception, containers: [] };
    entry.containers.push(d);
    used.set(d.exception.id, entry);
  }
  return [...used.values()].map(({ exception, containers }) => ({
    ...common(event, containers[0]),
    id: auditEventId(`${event.detail.taskArn}:${exception.id}`, 'exception.used'),
    type: 'exception.used',
    details: {
      ...taskDetails(event),
      exception: exception.id,
      kind: 'runtime',
      owner: exception.owner,
      reason: exception.reason,
      expires: exception.expires,
      containers: containers.map(containerDetails),
    },
  }));
}

/**
 * One event per expired runtime exception and expiry, by the first deployment it would have
 * covered: a fact of the configuration, not of the task (as the policy's expired exceptions).
 */
function expiredExceptions(event: TaskStateChangeEvent, decision: TaskDecision): AuditEvent[] {
  const expired = new Map<string, RuntimeException>();
  for (const d of decision.containers) for (const e of d.expired) expired.set(e.id, e);
  return [...expired.values()].map((e) => {
    const { image: _image, ...rest } = common(event, undefined);
    return {
      ...rest,
      id: auditEventId(`runtime-exception:${e.id}@${e.expires}`, 'exception.expired'),
      type: 'exception.expired',
      details: {
        exception: e.id,
        kind: 'runtime',
        owner: e.owner,
        expires: e.expires,
        noticedBy: { taskArn: event.detail.taskArn, cluster: clusterName(event.detail.clusterArn) },
      },
    };
  });
}

/** Time, actor and image of an event: the task's start, who started it, the container's image. */
function common(event: TaskStateChangeEvent, d: ContainerDecision | undefined) {
  const { detail } = event;
  // The trail's image is a repository and a digest; a container without both names it in details.
  const digest = d?.container.digest ?? null;
  const repository = d?.repository ?? null;
  const image =
    digest === null || repository === null
      ? undefined
      : { repository, digest, ...(d !== undefined && d.tag !== null && { tag: d.tag }) };
  return {
    time: isoTime(detail.startedAt ?? event.time),
    actor: detail.startedBy ?? 'aws.ecs',
    ...(image !== undefined && { image }),
    versions: {},
  };
}

function taskDetails(event: TaskStateChangeEvent): Record<string, unknown> {
  const { detail } = event;
  return {
    cluster: clusterName(detail.clusterArn),
    clusterArn: detail.clusterArn,
    group: detail.group ?? null,
    ...groupOf(detail.group),
    taskArn: detail.taskArn,
    taskDefinitionArn: detail.taskDefinitionArn,
    launchType: detail.launchType ?? null,
    eventVersion: detail.version,
  };
}

function containerDetails(d: ContainerDecision): Record<string, unknown> {
  return {
    container: d.container.name,
    image: d.container.image,
    imageDigest: d.container.digest,
    verdict: d.verdict,
  };
}

/** ECS's times as the audit trail keeps them (`…Z`, milliseconds). */
function isoTime(text: string): string {
  const time = new Date(text);
  return Number.isNaN(time.getTime()) ? text : time.toISOString();
}
