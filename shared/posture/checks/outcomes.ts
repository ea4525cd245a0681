import type { Evidence, PostureOutcome } from '../check';
import type { ContainerSpec, Field, WorkloadSpec } from '../workload';

/*
 * The few shapes every posture check's outcome takes, so that the checks read as their rules.
 */

export const evidenceOf = <T>(field: Field<T>): Evidence => ({
  path: field.path,
  value: field.written ?? field.value ?? null,
});

export function pass(
  container: ContainerSpec | undefined,
  evidence: readonly Evidence[],
  reason?: string,
): PostureOutcome {
  return outcome('pass', container, evidence, reason);
}

export function fail(
  container: ContainerSpec | undefined,
  evidence: readonly Evidence[],
  reason?: string,
): PostureOutcome {
  return outcome('fail', container, evidence, reason);
}

export function notApplicable(
  container: ContainerSpec | undefined,
  evidence: readonly Evidence[],
  reason: string,
): PostureOutcome {
  return outcome('not-applicable', container, evidence, reason);
}

function outcome(
  status: PostureOutcome['status'],
  container: ContainerSpec | undefined,
  evidence: readonly Evidence[],
  reason: string | undefined,
): PostureOutcome {
  return {
    status,
    ...(container !== undefined && { container: container.name }),
    evidence,
    ...(reason !== undefined && { reason }),
  };
}

/** The check's outcome for each container. */
export function eachContainer(
  workload: WorkloadSpec,
  judge: (container: ContainerSpec) => PostureOutcome,
): PostureOutcome[] {
  return workload.containers.map(judge);
}

/** Whether the workload runs Windows containers (the Linux-only settings do not apply). */
export function isWindows(workload: WorkloadSpec): boolean {
  return workload.os.value === 'windows';
}

/** Not applicable to every container, for one reason: a platform that has no such setting. */
export function notApplicableToAll(
  workload: WorkloadSpec,
  evidence: Evidence,
  reason: string,
): PostureOutcome[] {
  return workload.containers.length === 0
    ? [notApplicable(undefined, [evidence], reason)]
    : workload.containers.map((c) => notApplicable(c, [evidence], reason));
}

/**
 * Not applicable to every container, with the platform's reason, when a Linux runtime setting
 * does not apply: Windows containers have no capabilities, seccomp or AppArmor; Fargate refuses
 * some fields outright (`fargate`: why). Undefined when the setting applies.
 */
export function platformExempt(
  workload: WorkloadSpec,
  fargate?: string,
): PostureOutcome[] | undefined {
  if (isWindows(workload))
    return notApplicableToAll(
      workload,
      evidenceOf(workload.os),
      'Windows containers: this Linux setting does not exist there',
    );
  if (fargate !== undefined && workload.platform === 'fargate')
    return notApplicableToAll(workload, { path: workload.platformPath, value: 'FARGATE' }, fargate);
  return undefined;
}

/** Capability names as the runtime compares them: upper case, without `CAP_`. */
export function capabilityName(name: string): string {
  return name.toUpperCase().replace(/^CAP_/, '');
}

/** Not applicable to every container: the format has no such setting (a Pod spec has no log driver). */
export function notInFormat(workload: WorkloadSpec, reason: string): PostureOutcome[] {
  return notApplicableToAll(
    workload,
    { path: workload.containers[0]?.path ?? 'spec', value: null },
    reason,
  );
}
