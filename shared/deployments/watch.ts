import type { AuditEvent, AuditLog } from '../audit';
import type { EventPublisher } from '../events';
import type { Notifier } from '../notify';
import { stepBinding, type VerdictStore } from '../pipeline';
import { deploymentAlert } from './alert';
import { deploymentEvents, stoppedEvent } from './audit-events';
import { deploymentBusEvents } from './bus-events';
import { decideTask, type TaskDecision } from './decide';
import type { TaskStopper } from './ports';
import type { RuntimeGate } from './settings';
import { TaskStateChangeEvent, taskContainers } from './task-event';

export interface DeploymentWatchDeps {
  readonly verdicts: Pick<VerdictStore, 'verdictOf'>;
  readonly audit: AuditLog;
  readonly notifier: Notifier;
  readonly stopper: TaskStopper;
  readonly gate: RuntimeGate;
  /**
   * Where `Clearance Image Deployed` and `Clearance Deployment Stopped` go (the default bus).
   * @default - no events (`publishEvents: false`)
   */
  readonly events?: EventPublisher;
}

/** What one delivery did; `ignored` says why nothing was (a task not RUNNING). */
export interface DeploymentWatchResult {
  readonly taskArn: string;
  readonly eventVersion: number;
  readonly ignored?: string;
  /** Containers recorded (`image.deployed`), and those still waiting for their digest. */
  readonly recorded: number;
  readonly pending: readonly string[];
  /** Alerts this delivery sent (a repeated delivery sends none again). */
  readonly alerts: number;
  readonly stopped: boolean;
}

/** The most characters ECS takes as a StopTask reason. */
export const MAX_STOP_REASON = 255;

/**
 * The deployment-watch function, the target of the `ECS Task State Change` rule (lastStatus
 * RUNNING): a malformed event is `Clearance.Input`, left for the dead-letter queue, with
 * nothing appended.
 */
export const DEPLOYMENT_WATCH_STEP = stepBinding(
  'DeploymentWatch',
  TaskStateChangeEvent,
  watchDeployment,
);

/**
 * Records which image a task runs, container by container, with the verdict of its digest at
 * that moment; tells people of a failing or unknown one; stops the task under `stop`. Every
 * effect is keyed on the task, container and digest, so a duplicate or out-of-order delivery
 * appends nothing twice, alerts once, and a StopTask repeated is harmless. A task that is not
 * RUNNING (a STOPPED event delivered first) records nothing; a container without its digest
 * yet waits for a later event.
 */
export async function watchDeployment(
  event: TaskStateChangeEvent,
  deps: DeploymentWatchDeps,
): Promise<DeploymentWatchResult> {
  const { detail } = event;
  const head = { taskArn: detail.taskArn, eventVersion: detail.version };
  if (detail.lastStatus !== 'RUNNING')
    return {
      ...head,
      ignored: `task is ${detail.lastStatus}, not RUNNING`,
      recorded: 0,
      pending: [],
      alerts: 0,
      stopped: false,
    };
  const { deployed, pending } = taskContainers(detail);
  const judged = await Promise.all(
    deployed.map(async (container) => ({
      container,
      stored:
        container.digest === null ? undefined : await deps.verdicts.verdictOf(container.digest),
    })),
  );
  // Exceptions are judged on the UTC day the task started: the same on every delivery.
  const day = new Date(detail.startedAt ?? event.time).toISOString().slice(0, 10);
  const decision = decideTask(detail, judged, deps.gate, day);
  const audited = deploymentEvents(event, decision);
  await deps.audit.append(audited);
  await publish(event, audited, deps);
  if (decision.stop) await stop(event, decision, deps);
  let alerts = 0;
  for (const d of decision.containers)
    if (d.action !== 'recorded' && (await deps.notifier.publish(deploymentAlert(detail, d))))
      alerts++;
  return { ...head, recorded: deployed.length, pending, alerts, stopped: decision.stop };
}

/** StopTask, then `deployment.stopped`: a stop that failed is retried with the whole delivery. */
async function stop(
  event: TaskStateChangeEvent,
  decision: TaskDecision,
  deps: DeploymentWatchDeps,
): Promise<void> {
  const reason = stopReason(decision);
  await deps.stopper.stop(event.detail, reason);
  const stopped = stoppedEvent(event, decision, reason);
  await deps.audit.append([stopped]);
  await publish(event, [stopped], deps);
}

/** The bus events of what was appended, each once (their ids are the audit events'). */
async function publish(
  event: TaskStateChangeEvent,
  audited: readonly AuditEvent[],
  deps: DeploymentWatchDeps,
): Promise<void> {
  if (deps.events === undefined) return;
  for (const busEvent of deploymentBusEvents(event, audited)) await deps.events.publish(busEvent);
}

/**
 * `Clearance: image sha256:74b2c688c700… verdict fail (scan scan-1)` for the first container
 * stopped for, and how many more there are; at most 255 characters.
 */
export function stopReason(decision: TaskDecision): string {
  const stopped = decision.containers.filter((d) => d.action === 'stopped');
  const first = stopped[0];
  if (first === undefined) return 'Clearance: stopped';
  const digest = first.container.digest;
  const image =
    digest === null ? `${first.container.image} (no digest)` : `${digest.slice(0, 19)}…`;
  const scan = first.stored === undefined ? 'never scanned' : `scan ${first.stored.scanId}`;
  const more = stopped.length > 1 ? `; ${stopped.length - 1} more container(s)` : '';
  const reason = `Clearance: container ${first.container.name} image ${image} verdict ${first.verdict} (${scan})${more}`;
  return reason.length <= MAX_STOP_REASON ? reason : `${reason.slice(0, MAX_STOP_REASON - 1)}…`;
}
