import { parseRegistryReference } from '../image';
import type { StoredVerdict } from '../pipeline';
import { repositoryFilter } from '../fleet';
import type { RuntimeException, RuntimeGate } from './settings';
import { clusterName, type DeployedContainer, type TaskDetail } from './task-event';

/*
 * What the runtime gate does about one running task, decided from the task's event, each
 * container's verdict at that moment and the gate's settings; no AWS call here. A container is
 * trusted when its image's verdict is pass or warn; fail, or no verdict at all (never scanned,
 * or an image ECS named no digest for), is not. Under `stop`, in a gated cluster, a task with
 * a container not trusted and not excepted is stopped; otherwise people are told.
 */

/** The verdict a deployment is judged by: the image's recorded decision, or `unknown`. */
export type DeployedVerdict = StoredVerdict['decision'] | 'unknown';

/** What happens about one container. */
export type ContainerAction = 'recorded' | 'alerted' | 'stopped' | 'excepted';

export interface ContainerDecision {
  readonly container: DeployedContainer;
  /** The image's repository as its reference names it (`team/api`), null when it does not parse. */
  readonly repository: string | null;
  readonly tag: string | null;
  readonly verdict: DeployedVerdict;
  readonly stored: StoredVerdict | undefined;
  /** `recorded`: trusted; otherwise people are told, and the task stopped when `stopped`. */
  readonly action: ContainerAction;
  /** The live exception that turned `stop` into an alert. */
  readonly exception?: RuntimeException;
  /** Expired exceptions that would have covered it: reported, applied to nothing. */
  readonly expired: readonly RuntimeException[];
}

export interface TaskDecision {
  readonly containers: readonly ContainerDecision[];
  /** StopTask is called (some container's action is `stopped`). */
  readonly stop: boolean;
}

/** What the gate decides for `containers` of the task in `detail`, on UTC day `day`. */
export function decideTask(
  detail: TaskDetail,
  containers: readonly { container: DeployedContainer; stored: StoredVerdict | undefined }[],
  gate: RuntimeGate,
  day: string,
): TaskDecision {
  const cluster = clusterName(detail.clusterArn);
  // A task ECS is already stopping is recorded and alerted, not stopped again.
  const gated =
    gate.enforcement === 'stop' &&
    detail.desiredStatus !== 'STOPPED' &&
    repositoryFilter(gate.clusters)(cluster);
  const decided = containers.map(({ container, stored }) =>
    decideContainer(container, stored, { gate, cluster, gated, day }),
  );
  return { containers: decided, stop: decided.some((d) => d.action === 'stopped') };
}

function decideContainer(
  container: DeployedContainer,
  stored: StoredVerdict | undefined,
  context: { gate: RuntimeGate; cluster: string; gated: boolean; day: string },
): ContainerDecision {
  const { repository, tag } = referenceOf(container.image);
  const verdict: DeployedVerdict = stored?.decision ?? 'unknown';
  const base = { container, repository, tag, verdict, stored, expired: [] };
  if (verdict === 'pass' || verdict === 'warn') return { ...base, action: 'recorded' };
  if (!context.gated) return { ...base, action: 'alerted' };
  const covering = context.gate.exceptions.filter((e) =>
    covers(e, repository ?? container.image, context.cluster),
  );
  const live = covering.find((e) => e.expires >= context.day);
  const expired = covering.filter((e) => e.expires < context.day);
  if (live !== undefined) return { ...base, action: 'excepted', exception: live, expired };
  return { ...base, action: 'stopped', expired };
}

/** Whether `exception` names this repository and cluster (a dimension left out names all). */
function covers(exception: RuntimeException, repository: string, cluster: string): boolean {
  const repositories = exception.repositories ?? ['*'];
  const clusters = exception.clusters ?? ['*'];
  return repositoryFilter(repositories)(repository) && repositoryFilter(clusters)(cluster);
}

/** The repository and tag of an image reference, as Docker normalises it (nulls if it does not parse). */
function referenceOf(image: string): { repository: string | null; tag: string | null } {
  try {
    const reference = parseRegistryReference(image);
    return { repository: reference.repository, tag: reference.tag ?? null };
  } catch {
    return { repository: null, tag: null };
  }
}
