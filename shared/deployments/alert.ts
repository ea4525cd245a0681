import {
  MAX_SUBJECT_LENGTH,
  NOTIFICATION_SCHEMA,
  type DocumentHead,
  type Notification,
} from '../notify';
import { deploymentId } from './audit-events';
import type { ContainerDecision } from './decide';
import { clusterName, type TaskDetail } from './task-event';

/*
 * The alert about a container started from an image whose verdict is fail or unknown: to the
 * alerts topic, once per task, container and digest (its id is the `image.deployed` event's), so
 * a repeated delivery of the task's event alerts once. It names the cluster, the service or
 * task group, the container, the image, the digest and the verdict, and what the gate did.
 */

/** The JSON form (notification.schema.json, `deployment`). */
export interface DeploymentDocument extends DocumentHead {
  readonly eventType: 'image.deployed';
  readonly verdict: 'fail' | 'unknown';
  readonly maxSeverity: 'unknown';
  readonly cluster: string;
  readonly group: string | null;
  readonly taskArn: string;
  readonly taskDefinitionArn: string;
  readonly container: string;
  readonly image: string;
  readonly repository: string | null;
  readonly digest: string | null;
  readonly scanId: string | null;
  readonly action: 'alerted' | 'stopped' | 'excepted';
  readonly exception: {
    readonly id: string;
    readonly owner: string;
    readonly expires: string;
  } | null;
}

/** The alert about container decision `d` of the task in `detail` (one whose action is not `recorded`). */
export function deploymentAlert(detail: TaskDetail, d: ContainerDecision): Notification {
  const id = `${deploymentId(detail.taskArn, d.container.name, d.container.digest)}:deployed`;
  const document = deploymentDocument(detail, d, id);
  const where = `${document.cluster}/${groupName(detail.group)}`;
  return {
    id,
    topic: 'alerts',
    subject: cut(
      `[DEPLOYED ${d.verdict.toUpperCase()}] ${where}: ${d.repository ?? d.container.image}`,
    ),
    body: bodyOf(document, d),
    document,
    attributes: {
      verdict: d.verdict,
      maxSeverity: 'unknown',
      repository: d.repository ?? '',
      eventType: 'image.deployed',
    },
  };
}

function deploymentDocument(
  detail: TaskDetail,
  d: ContainerDecision,
  id: string,
): DeploymentDocument {
  const verdict = d.verdict === 'fail' ? 'fail' : 'unknown';
  const action = d.action === 'recorded' ? 'alerted' : d.action;
  return {
    $schema: NOTIFICATION_SCHEMA,
    id,
    eventType: 'image.deployed',
    verdict,
    maxSeverity: 'unknown',
    cluster: clusterName(detail.clusterArn),
    group: detail.group ?? null,
    taskArn: detail.taskArn,
    taskDefinitionArn: detail.taskDefinitionArn,
    container: d.container.name,
    image: d.container.image,
    repository: d.repository,
    digest: d.container.digest,
    scanId: d.stored?.scanId ?? null,
    action,
    exception:
      d.exception === undefined
        ? null
        : { id: d.exception.id, owner: d.exception.owner, expires: d.exception.expires },
  };
}

const WHAT_HAPPENED = {
  alerted:
    'The task runs on: Clearance alerts only (runtimeEnforcement alert, or a cluster the gate does not cover).',
  stopped:
    'Clearance stopped the task (ecs:StopTask); its service will start it again from the same image until that is fixed.',
  excepted: 'The task runs on: a runtime exception covers it.',
} as const;

function bodyOf(doc: DeploymentDocument, d: ContainerDecision): string {
  const verdictLine =
    doc.verdict === 'fail'
      ? `Verdict: FAIL (scan ${doc.scanId ?? '?'}, recorded ${d.stored?.recordedAt ?? '?'})`
      : doc.digest === null
        ? 'Verdict: UNKNOWN (ECS reported no digest: the image is not from ECR, or not pinned)'
        : 'Verdict: UNKNOWN (this digest was never scanned by Clearance)';
  const lines = [
    `A task started from an image that has not passed Clearance.`,
    '',
    `Cluster:    ${doc.cluster}`,
    `Group:      ${doc.group ?? '(none)'}`,
    `Task:       ${doc.taskArn}`,
    `Definition: ${doc.taskDefinitionArn}`,
    `Container:  ${doc.container}`,
    `Image:      ${doc.image}`,
    `Digest:     ${doc.digest ?? '(none)'}`,
    verdictLine,
    '',
    WHAT_HAPPENED[doc.action],
  ];
  if (doc.exception !== null)
    lines.push(
      `Exception:  ${doc.exception.id} (owner ${doc.exception.owner}, expires ${doc.exception.expires}): ${d.exception?.reason ?? ''}`,
    );
  lines.push(
    '',
    doc.verdict === 'fail'
      ? 'What to do: deploy an image that passes (see the verdict notification of its scan), or ask for a runtime exception.'
      : 'What to do: push the image to a watched ECR repository so that it is scanned, and deploy it by that digest.',
  );
  return `${lines.join('\n')}\n`;
}

function groupName(group: string | undefined): string {
  return group?.replace(/^(service|family):/, '') ?? 'task';
}

/** ASCII and under 100 characters: the SNS notifier's guard, kept here so the text is ours. */
function cut(subject: string): string {
  const ascii = subject.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length <= MAX_SUBJECT_LENGTH
    ? ascii
    : `${ascii.slice(0, MAX_SUBJECT_LENGTH - 3).trimEnd()}...`;
}
