import type { PostureCheck, PostureOutcome } from '../check';
import type { ContainerSpec, Field, WorkloadSpec } from '../workload';
import { eachContainer, evidenceOf, fail, pass, platformExempt, notInFormat } from './outcomes';

/*
 * What a container may take from its host: memory, CPU, processes.
 */

/**
 * The container's own limit, else the workload's (an ECS task's `memory`/`cpu` bounds all its
 * containers together: a hard limit all the same).
 */
function limitCheck(
  own: (c: ContainerSpec) => Field<string | number>,
  task: (w: WorkloadSpec) => Field<string | number>,
) {
  return (workload: WorkloadSpec): PostureOutcome[] =>
    eachContainer(workload, (c) => {
      const limit = own(c);
      if (isSet(limit.value)) return pass(c, [evidenceOf(limit)]);
      const shared = task(workload);
      if (isSet(shared.value))
        return pass(
          c,
          [evidenceOf(limit), evidenceOf(shared)],
          'the task-level limit bounds every container of the task',
        );
      return fail(c, [evidenceOf(limit)]);
    });
}

/** A limit of 0 (or `"0"`) is no limit. */
function isSet(value: string | number | undefined): boolean {
  return value !== undefined && value !== 0 && value !== '0' && value !== '';
}

export const memoryLimit: PostureCheck = {
  id: 'memory-limit',
  version: 1,
  title: 'No memory limit',
  severity: 'MEDIUM',
  cis: '5.11',
  rationale:
    'Without a memory limit one container can exhaust the host’s memory and have the kernel kill its neighbours.',
  remediation: {
    ecs: 'Set "memory" (the hard limit, in MiB) on the container definition, or the task-level "memory".',
    kubernetes: 'Set resources.limits.memory on the container.',
    compose: 'Set deploy.resources.limits.memory (or mem_limit) on the service.',
  },
  evaluate: limitCheck(
    (c) => c.memoryLimit,
    (w) => w.taskMemory,
  ),
};

export const cpuLimit: PostureCheck = {
  id: 'cpu-limit',
  version: 1,
  title: 'No CPU limit or share',
  severity: 'LOW',
  cis: '5.12',
  rationale: 'Without a CPU limit or share one container can starve the others on its host.',
  remediation: {
    ecs: 'Set "cpu" (CPU units) on the container definition, or the task-level "cpu".',
    kubernetes: 'Set resources.limits.cpu on the container.',
    compose: 'Set deploy.resources.limits.cpus (or cpus, cpu_shares) on the service.',
  },
  evaluate: limitCheck(
    (c) => c.cpuLimit,
    (w) => w.taskCpu,
  ),
};

export const pidsLimit: PostureCheck = {
  id: 'pids-limit',
  version: 1,
  title: 'No PIDs limit',
  severity: 'LOW',
  cis: '5.29',
  rationale:
    'Without a limit on processes, a fork bomb in one container exhausts the host’s process table.',
  remediation: {
    ecs: 'Task definitions have no PIDs cgroup limit: add an "nproc" entry to the container’s ulimits.',
    kubernetes: 'Set podPidsLimit in the kubelet configuration (a Pod spec cannot).',
    compose: 'Set deploy.resources.limits.pids (or pids_limit) on the service.',
  },
  evaluate(workload) {
    const exempt = platformExempt(workload);
    if (exempt) return exempt;
    if (workload.format === 'kubernetes')
      return notInFormat(
        workload,
        'a Pod spec cannot limit PIDs: the kubelet’s podPidsLimit does, for every Pod of the node',
      );
    return eachContainer(workload, (c) =>
      c.pidsLimit.value !== undefined && c.pidsLimit.value > 0
        ? pass(c, [evidenceOf(c.pidsLimit)])
        : fail(c, [evidenceOf(c.pidsLimit)]),
    );
  },
};
