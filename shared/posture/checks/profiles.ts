import type { PostureCheck } from '../check';
import { eachContainer, evidenceOf, fail, pass, platformExempt } from './outcomes';

/*
 * The kernel's confinement of a container: seccomp, AppArmor, SELinux.
 */

const FARGATE_OPTIONS =
  'Fargate does not accept dockerSecurityOptions: the platform sets the profile';

/** `Unconfined`, `unconfined`. */
const isUnconfined = (value: string | undefined) => value?.toLowerCase() === 'unconfined';

export const seccomp: PostureCheck = {
  id: 'seccomp',
  version: 1,
  title: 'Seccomp profile disabled',
  severity: 'HIGH',
  cis: '5.22',
  rationale:
    'The runtime’s default seccomp profile blocks some 44 system calls a container never needs (kexec_load, mount, ptrace of other processes…). Kubernetes runs Pods Unconfined unless a profile is set.',
  remediation: {
    ecs: 'ECS applies Docker’s default profile and cannot change it; do not run the container privileged.',
    kubernetes:
      'Set securityContext.seccompProfile.type: RuntimeDefault (or Localhost) on the Pod or the container.',
    compose: 'Remove seccomp:unconfined from security_opt (and privileged: true).',
  },
  evaluate(workload) {
    const exempt = platformExempt(
      workload,
      'Fargate applies its own seccomp profile; a task definition cannot change it',
    );
    if (exempt) return exempt;
    return eachContainer(workload, (c) => {
      if (c.privileged.value === true)
        return fail(c, [evidenceOf(c.privileged)], 'a privileged container runs without seccomp');
      if (isUnconfined(c.seccomp.value)) return fail(c, [evidenceOf(c.seccomp)]);
      if (c.seccomp.value !== undefined) return pass(c, [evidenceOf(c.seccomp)]);
      if (workload.format === 'kubernetes')
        return fail(
          c,
          [evidenceOf(c.seccomp)],
          'no profile set: Kubernetes runs containers Unconfined by default',
        );
      return pass(
        c,
        [evidenceOf(c.seccomp)],
        'not overridden: the runtime’s default profile applies',
      );
    });
  },
};

export const apparmor: PostureCheck = {
  id: 'apparmor',
  version: 1,
  title: 'AppArmor profile disabled',
  severity: 'MEDIUM',
  cis: '5.2',
  rationale:
    'Where the host runs AppArmor, the runtime’s default profile confines the container; unconfined removes it.',
  remediation: {
    ecs: 'Remove "apparmor:unconfined" from dockerSecurityOptions (and do not run privileged).',
    kubernetes:
      'Set securityContext.appArmorProfile.type: RuntimeDefault (or remove the Unconfined annotation).',
    compose: 'Remove apparmor:unconfined from security_opt (and privileged: true).',
  },
  evaluate(workload) {
    const exempt = platformExempt(workload, FARGATE_OPTIONS);
    if (exempt) return exempt;
    return eachContainer(workload, (c) => {
      if (c.privileged.value === true)
        return fail(
          c,
          [evidenceOf(c.privileged)],
          'a privileged container runs without AppArmor confinement',
        );
      if (isUnconfined(c.apparmor.value)) return fail(c, [evidenceOf(c.apparmor)]);
      return pass(
        c,
        [evidenceOf(c.apparmor)],
        c.apparmor.value === undefined
          ? 'not overridden: the runtime’s default profile applies'
          : undefined,
      );
    });
  },
};

/** SELinux settings that switch confinement off: `label:disable`, the unconfined `spc_t` type. */
const SELINUX_OFF = /(^|,)(disable|type:spc_t|type:unconfined_t)(,|$)/;

export const selinux: PostureCheck = {
  id: 'selinux',
  version: 1,
  title: 'SELinux separation disabled',
  severity: 'MEDIUM',
  cis: '5.3',
  rationale:
    'Where the host runs SELinux, container labels keep containers from each other’s and the host’s files; label:disable and spc_t remove that.',
  remediation: {
    ecs: 'Remove "label:disable" or "label:type:spc_t" from dockerSecurityOptions.',
    kubernetes: 'Remove seLinuxOptions.type: spc_t (or unconfined_t) from the securityContext.',
    compose: 'Remove label:disable (or label:type:spc_t) from security_opt.',
  },
  evaluate(workload) {
    const exempt = platformExempt(workload, FARGATE_OPTIONS);
    if (exempt) return exempt;
    return eachContainer(workload, (c) =>
      c.selinux.value !== undefined && SELINUX_OFF.test(c.selinux.value)
        ? fail(c, [evidenceOf(c.selinux)])
        : pass(c, [evidenceOf(c.selinux)]),
    );
  },
};
