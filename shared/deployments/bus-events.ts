import type { AuditEvent } from '../audit';
import { DETAIL_VERSION, type ClearanceEvent, type DetailType } from '../events';
import type { TaskStateChangeEvent } from './task-event';

/*
 * The EventBridge events of a deployment: `Clearance Image Deployed` per `image.deployed` audit
 * event (every container recorded, whatever its verdict) and `Clearance Deployment Stopped` per
 * `deployment.stopped`. Their details are the audit events' (audit-events.ts) flattened, so the
 * bus and the trail say the same; their ids are the audit events', published once each.
 */

const DETAIL_TYPES: Partial<Record<AuditEvent['type'], DetailType>> = {
  'image.deployed': 'Clearance Image Deployed',
  'deployment.stopped': 'Clearance Deployment Stopped',
};

/** The bus events of the audit events that have one, in their order. */
export function deploymentBusEvents(
  task: TaskStateChangeEvent,
  audited: readonly AuditEvent[],
): ClearanceEvent[] {
  const events: ClearanceEvent[] = [];
  for (const event of audited) {
    const detailType = DETAIL_TYPES[event.type];
    if (detailType === undefined) continue;
    const { repository = null, digest = null, tag = null } = event.image ?? {};
    events.push({
      id: `${event.id}:event`,
      detailType,
      time: event.time,
      resources: [task.detail.taskArn, task.detail.clusterArn],
      detail: {
        version: DETAIL_VERSION,
        ...event.details,
        startedBy: event.actor,
        startedAt: event.time,
        repository,
        digest,
        tag,
        versions: event.versions,
      },
    });
  }
  return events;
}
