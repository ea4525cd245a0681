import type { PostureCheck } from '../check';
import { capabilityName, eachContainer, evidenceOf, fail, pass, platformExempt } from './outcomes';

/*
 * What a container may do to its host: privileged mode, capabilities, privilege escalation.
 */

export const privileged: PostureCheck = {
  id: 'privileged',
  version: 1,
  title: 'Privileged container',
  severity: 'CRITICAL',
  cis: '5.5',
  rationale:
    'A privileged container has every capability, every host device and no seccomp or AppArmor confinement: root in it is root on the host.',
  remediation: {
    ecs: 'Remove "privileged": true from the container definition (or set it to false).',
    kubernetes: 'Set securityContext.privileged: false (or leave it out) on the container.',
    compose: 'Remove privileged: true from the service.',
  },
  evaluate(workload) {
    const exempt = platformExempt(workload, 'Fargate does not allow privileged containers');
    if (exempt) return exempt;
    return eachContainer(workload, (c) =>
      c.privileged.value === true
        ? fail(c, [evidenceOf(c.privileged)])
        : pass(c, [evidenceOf(c.privileged)]),
    );
  },
};

export const capabilitiesNotDropped: PostureCheck = {
  id: 'capabilities-not-dropped',
  version: 1,
  title: 'Capabilities not dropped',
  severity: 'MEDIUM',
  cis: '5.4',
  rationale:
    'The runtime grants a default set of capabilities (CHOWN, DAC_OVERRIDE, FOWNER, NET_RAW, SETUID, …) that few services need; dropping ALL and adding back only what is needed limits what an attacker gains.',
  remediation: {
    ecs: 'Set linuxParameters.capabilities.drop to ["ALL"] and add back only the capabilities the container needs.',
    kubernetes:
      'Set securityContext.capabilities.drop: ["ALL"] and add back only what the container needs.',
    compose: 'Set cap_drop: [ALL] and add back only what the service needs with cap_add.',
  },
  evaluate(workload) {
    const exempt = platformExempt(workload);
    if (exempt) return exempt;
    return eachContainer(workload, (c) => {
      const dropped = (c.capabilitiesDrop.value ?? []).map(capabilityName);
      return dropped.includes('ALL')
        ? pass(c, [evidenceOf(c.capabilitiesDrop)])
        : fail(
            c,
            [evidenceOf(c.capabilitiesDrop)],
            'ALL is not dropped: the runtime’s default capabilities remain',
          );
    });
  },
};

/** The one capability the Pod Security Standards' restricted profile lets a container add. */
const ALLOWED_ADDS = new Set(['NET_BIND_SERVICE']);

export const capabilitiesAdded: PostureCheck = {
  id: 'capabilities-added',
  version: 1,
  title: 'Capabilities added beyond NET_BIND_SERVICE',
  severity: 'HIGH',
  cis: '5.4',
  rationale:
    'Added capabilities such as SYS_ADMIN, NET_ADMIN, SYS_PTRACE or SYS_MODULE let a process in the container escape it or reach the host; the Pod Security Standards’ restricted profile allows only NET_BIND_SERVICE.',
  remediation: {
    ecs: 'Remove capabilities other than NET_BIND_SERVICE from linuxParameters.capabilities.add.',
    kubernetes:
      'Remove capabilities other than NET_BIND_SERVICE from securityContext.capabilities.add.',
    compose: 'Remove capabilities other than NET_BIND_SERVICE from cap_add.',
  },
  evaluate(workload) {
    const exempt = platformExempt(workload);
    if (exempt) return exempt;
    return eachContainer(workload, (c) => {
      const extra = (c.capabilitiesAdd.value ?? []).filter(
        (cap) => !ALLOWED_ADDS.has(capabilityName(cap)),
      );
      return extra.length === 0
        ? pass(c, [evidenceOf(c.capabilitiesAdd)])
        : fail(c, [evidenceOf(c.capabilitiesAdd)], `adds ${extra.join(', ')}`);
    });
  },
};

/** Added capabilities that let a process gain privileges whatever no-new-privileges says. */
const ESCALATING = new Set(['ALL', 'SYS_ADMIN']);

export const noNewPrivileges: PostureCheck = {
  id: 'no-new-privileges',
  version: 1,
  title: 'Privilege escalation not blocked (no-new-privileges)',
  severity: 'MEDIUM',
  cis: '5.26',
  rationale:
    'Without no_new_privs, a process can gain privileges through setuid and setgid binaries or file capabilities.',
  remediation: {
    ecs: 'Add "no-new-privileges" to the container definition’s dockerSecurityOptions (EC2 and external launch types).',
    kubernetes: 'Set securityContext.allowPrivilegeEscalation: false on the container.',
    compose: 'Add no-new-privileges:true to the service’s security_opt.',
  },
  evaluate(workload) {
    const exempt = platformExempt(
      workload,
      'Fargate does not accept dockerSecurityOptions: a task definition cannot set no-new-privileges there',
    );
    if (exempt) return exempt;
    return eachContainer(workload, (c) => {
      if (c.privileged.value === true)
        return fail(
          c,
          [evidenceOf(c.privileged)],
          'a privileged container can always gain privileges',
        );
      const escalating = (c.capabilitiesAdd.value ?? []).filter((cap) =>
        ESCALATING.has(capabilityName(cap)),
      );
      if (escalating.length > 0)
        return fail(
          c,
          [evidenceOf(c.capabilitiesAdd)],
          `${escalating.join(', ')} lets a process gain privileges`,
        );
      return c.noNewPrivileges.value === true
        ? pass(c, [evidenceOf(c.noNewPrivileges)])
        : fail(c, [evidenceOf(c.noNewPrivileges)], 'privilege escalation is not blocked');
    });
  },
};

export const readOnlyRootFilesystem: PostureCheck = {
  id: 'read-only-root-filesystem',
  version: 1,
  title: 'Root filesystem writable',
  severity: 'MEDIUM',
  cis: '5.13',
  rationale:
    'A read-only root filesystem stops an intruder from changing the container’s binaries and configuration; writable paths are then explicit volumes or tmpfs.',
  remediation: {
    ecs: 'Set "readonlyRootFilesystem": true in the container definition; mount volumes for the paths it writes.',
    kubernetes:
      'Set securityContext.readOnlyRootFilesystem: true; mount emptyDir volumes for the paths it writes.',
    compose: 'Set read_only: true on the service; add tmpfs or volumes for the paths it writes.',
  },
  evaluate(workload) {
    const exempt = platformExempt(workload);
    if (exempt) return exempt;
    return eachContainer(workload, (c) =>
      c.readOnlyRootFilesystem.value === true
        ? pass(c, [evidenceOf(c.readOnlyRootFilesystem)])
        : fail(c, [evidenceOf(c.readOnlyRootFilesystem)]),
    );
  },
};
