import { isObject } from '../core';
import { readEcsTaskDefinition } from './ecs';
import type { WorkloadSpec } from './workload';

/*
 * A recording of the ECS API for one account and region, as the nightly posture run writes it
 * (shared/aws/ecs/collect.ts): per cluster, each service with its task definition and running
 * tasks, and the tasks no service owns. Read here into workloads that carry what ECS reports
 * running (`imageDigest`) and the launch type the service or task really uses.
 *
 *   { "recording": "clearance/ecs-inventory/v1", "region", "accountId", "capturedAt",
 *     "clusters": [ { "clusterArn", "clusterName", "error"?,
 *       "services": [ { "service": <DescribeServices item>, "taskDefinition": <…> | { "error" },
 *                       "tasks": [ <DescribeTasks item> ] } ],
 *       "standaloneTasks": [ { "taskDefinition": …, "tasks": [ … ] } ] } ] }
 */

export const ECS_INVENTORY = 'clearance/ecs-inventory/v1';

export function isEcsInventory(value: unknown): boolean {
  return isObject(value) && value.recording === ECS_INVENTORY;
}

/** What the recording holds, and the places the API could not be read (each a gap). */
export interface EcsInventory {
  readonly workloads: WorkloadSpec[];
  readonly unread: { readonly source: string; readonly reason: string }[];
}

export function readEcsInventory(value: unknown, source: string): EcsInventory {
  const inventory: EcsInventory = { workloads: [], unread: [] };
  const clusters = isObject(value) && Array.isArray(value.clusters) ? value.clusters : undefined;
  if (clusters === undefined) throw new Error('ECS inventory: "clusters" is not a list');
  clusters.forEach((cluster: unknown, i) => {
    const at = `${source}#clusters[${i}]`;
    if (!isObject(cluster)) {
      inventory.unread.push({ source: at, reason: 'not a mapping' });
      return;
    }
    const name =
      typeof cluster.clusterName === 'string'
        ? cluster.clusterName
        : typeof cluster.clusterArn === 'string'
          ? cluster.clusterArn
          : `clusters[${i}]`;
    if (typeof cluster.error === 'string')
      inventory.unread.push({
        source: at,
        reason: `cluster ${name} could not be read: ${cluster.error}`,
      });
    const groups = [
      ...list(cluster.services).map((entry, j) => ({ entry, where: `${at}.services[${j}]` })),
      ...list(cluster.standaloneTasks).map((entry, j) => ({
        entry,
        where: `${at}.standaloneTasks[${j}]`,
      })),
    ];
    for (const { entry, where } of groups) {
      try {
        inventory.workloads.push(workloadOf(entry, where, name));
      } catch (error) {
        inventory.unread.push({ source: where, reason: (error as Error).message });
      }
    }
  });
  return inventory;
}

function workloadOf(entry: unknown, where: string, cluster: string): WorkloadSpec {
  if (!isObject(entry)) throw new Error('not a mapping');
  const service = isObject(entry.service) ? entry.service : undefined;
  const tasks = list(entry.tasks).filter(isObject);
  const definition = entry.taskDefinition;
  const group =
    service && typeof service.serviceName === 'string'
      ? `service:${service.serviceName}`
      : typeof tasks[0]?.group === 'string'
        ? tasks[0].group
        : 'standalone';
  if (isObject(definition) && typeof definition.error === 'string')
    throw new Error(
      `the task definition of ${cluster}/${group} could not be read: ${definition.error}`,
    );
  const launchType = launchTypeOf(service, tasks);
  return readEcsTaskDefinition(definition, where, {
    ...(launchType !== undefined && { launchType }),
    runningDigests: runningDigests(tasks),
    runsAs: `${cluster}/${group}`,
  });
}

/** The launch type the service or its tasks use (a capacity provider named FARGATE* is Fargate). */
function launchTypeOf(
  service: Record<string, unknown> | undefined,
  tasks: readonly Record<string, unknown>[],
): string | undefined {
  const direct =
    service?.launchType ?? tasks.find((t) => typeof t.launchType === 'string')?.launchType;
  if (typeof direct === 'string') return direct;
  const providers = list(service?.capacityProviderStrategy).flatMap((p) =>
    isObject(p) && typeof p.capacityProvider === 'string' ? [p.capacityProvider] : [],
  );
  if (providers.length > 0 && providers.every((p) => p.startsWith('FARGATE'))) return 'FARGATE';
  return undefined;
}

/** Per container name, the distinct digests its running tasks report. */
function runningDigests(tasks: readonly Record<string, unknown>[]): Record<string, string[]> {
  const digests: Record<string, Set<string>> = {};
  for (const task of tasks)
    for (const container of list(task.containers))
      if (
        isObject(container) &&
        typeof container.name === 'string' &&
        typeof container.imageDigest === 'string'
      )
        (digests[container.name] ??= new Set()).add(container.imageDigest);
  return Object.fromEntries(Object.entries(digests).map(([name, set]) => [name, [...set].sort()]));
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
