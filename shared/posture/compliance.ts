import { FRAMEWORKS, type FrameworkId } from '../compliance';
import type { ComplianceReport, ControlEvidence, ControlMap, ControlStatus } from '../compliance';
import type { PostureCheckResult } from './check';
import { registryChecks, type PostureReport } from './report';

const LEAST_PRIVILEGE: ControlMap = {
  'pci-dss': ['7.2.1', '2.2.6'],
  hipaa: ['164.312(a)(1)'],
  soc2: ['CC6.1'],
  'nist-800-53': ['AC-6', 'CM-6'],
};
const ISOLATION: ControlMap = {
  'pci-dss': ['2.2.6'],
  hipaa: ['164.312(a)(1)'],
  soc2: ['CC6.1', 'CC6.6'],
  'nist-800-53': ['AC-6', 'CM-7'],
};
const RESOURCES: ControlMap = { 'pci-dss': ['2.2.6'], soc2: ['CC7.2'], 'nist-800-53': ['CM-6'] };
const INTEGRITY: ControlMap = {
  hipaa: ['164.312(c)(1)'],
  soc2: ['CC6.8', 'CC8.1'],
  'nist-800-53': ['CM-2', 'SI-7'],
};
const CREDENTIALS: ControlMap = {
  'pci-dss': ['3.5.1', '8.3.2', '8.6.2'],
  hipaa: ['164.312(a)(2)(iv)', '164.312(d)'],
  soc2: ['CC6.1'],
  'nist-800-53': ['IA-5', 'SC-28'],
};

/**
 * What each runtime posture check (and registry check) is evidence for, beyond its CIS item
 * (which maps itself: `cis` on the result). Kept as data and tested for completeness: every
 * check of POSTURE_CHECKS maps somewhere.
 */
export const POSTURE_MAPPING: Readonly<Record<string, ControlMap>> = {
  privileged: LEAST_PRIVILEGE,
  'capabilities-not-dropped': LEAST_PRIVILEGE,
  'capabilities-added': LEAST_PRIVILEGE,
  'no-new-privileges': LEAST_PRIVILEGE,
  'read-only-root-filesystem': INTEGRITY,
  'host-network': ISOLATION,
  'host-pid': ISOLATION,
  'host-ipc': ISOLATION,
  'host-uts': ISOLATION,
  'sensitive-host-paths': ISOLATION,
  'docker-socket': ISOLATION,
  'host-devices': ISOLATION,
  'privileged-ports': { 'pci-dss': ['2.2.4'], soc2: ['CC6.6'], 'nist-800-53': ['CM-7'] },
  'memory-limit': RESOURCES,
  'cpu-limit': RESOURCES,
  'pids-limit': RESOURCES,
  seccomp: LEAST_PRIVILEGE,
  apparmor: LEAST_PRIVILEGE,
  selinux: LEAST_PRIVILEGE,
  'run-as-non-root': LEAST_PRIVILEGE,
  'secrets-in-environment': CREDENTIALS,
  'service-account-token': { ...CREDENTIALS, 'nist-800-53': ['AC-6', 'IA-5'] },
  'image-pinned': INTEGRITY,
  'image-trusted-registry': { ...INTEGRITY, 'pci-dss': ['6.3.3'] },
  'image-verdict': {
    'pci-dss': ['6.3.3', '11.3.1'],
    soc2: ['CC7.1'],
    'nist-800-53': ['RA-5', 'SI-2'],
  },
  'central-logging': {
    'pci-dss': ['2.2.6'],
    hipaa: ['164.312(b)'],
    soc2: ['CC7.2'],
    'nist-800-53': ['CM-6'],
  },
  'health-check': { soc2: ['CC7.2'], 'nist-800-53': ['CM-6'] },
  'ecr-tag-immutability': INTEGRITY,
  'ecr-kms-encryption': {
    'pci-dss': ['3.5.1'],
    hipaa: ['164.312(a)(2)(iv)'],
    soc2: ['CC6.1'],
    'nist-800-53': ['SC-28'],
  },
  'ecr-policy-public': { ...LEAST_PRIVILEGE, soc2: ['CC6.1', 'CC6.6'] },
  'ecr-policy-cross-account': LEAST_PRIVILEGE,
  'ecr-policy-push': { ...LEAST_PRIVILEGE, soc2: ['CC6.1', 'CC8.1'] },
  'ecr-lifecycle-policy': { 'nist-800-53': ['CM-2'] },
  'ecr-replication-trusted': { ...INTEGRITY, 'nist-800-53': ['SC-28', 'SI-7'] },
  'ecr-pull-through-trusted': INTEGRITY,
};

/** CIS Docker Benchmark v1.6.0 §5 items the posture checks implement, as that version titles them (short). */
export const CIS_RUNTIME: Readonly<Record<string, string>> = {
  '5.2': 'Ensure that, if applicable, an AppArmor Profile is enabled',
  '5.3': 'Ensure that, if applicable, SELinux security options are set',
  '5.4': 'Ensure that Linux kernel capabilities are restricted within containers',
  '5.5': 'Ensure that privileged containers are not used',
  '5.6': 'Ensure sensitive host system directories are not mounted on containers',
  '5.8': 'Ensure privileged ports are not mapped within containers',
  '5.10': 'Ensure that the host’s network namespace is not shared',
  '5.11': 'Ensure that the memory usage for containers is limited',
  '5.12': 'Ensure that CPU priority is set appropriately on containers',
  '5.13': 'Ensure that the container’s root filesystem is mounted as read only',
  '5.16': 'Ensure that the host’s process namespace is not shared',
  '5.17': 'Ensure that the host’s IPC namespace is not shared',
  '5.18': 'Ensure that host devices are not directly exposed to containers',
  '5.21': 'Ensure that the host’s UTS namespace is not shared',
  '5.22': 'Ensure the default seccomp profile is not Disabled',
  '5.26': 'Ensure that the container is restricted from acquiring additional privileges',
  '5.27': 'Ensure that container health is checked at runtime',
  '5.29': 'Ensure that the PIDs cgroup limit is used',
  '5.32': 'Ensure that the Docker socket is not mounted inside any containers',
};

/**
 * `posture --compliance`: the framework's controls judged on the runtime evidence. For `cis`,
 * the §5 items (each check's `cis`); for the others, the controls of POSTURE_MAPPING. A control
 * fails when any result behind it fails or errs; is not assessed when nothing speaks to it.
 */
export function postureCompliance(report: PostureReport, framework: FrameworkId): ComplianceReport {
  const results: { subject: string; result: PostureCheckResult }[] = [
    ...report.workloads.flatMap((w) => w.checks.map((result) => ({ subject: w.id, result }))),
    ...(report.registry === null
      ? []
      : registryChecks(report.registry).map((result) => ({ subject: 'ecr', result }))),
  ];
  const controls =
    framework === 'cis'
      ? Object.entries(CIS_RUNTIME).map(([id, title]) => ({ id, title }))
      : FRAMEWORKS.find((f) => f.id === framework)!.controls;
  const speaksTo = (result: PostureCheckResult, control: string) =>
    framework === 'cis'
      ? result.cis === control
      : (POSTURE_MAPPING[result.id]?.[framework] ?? []).includes(control);
  return {
    framework,
    title:
      framework === 'cis'
        ? 'CIS Docker Benchmark v1.6.0, section 5 (container runtime)'
        : FRAMEWORKS.find((f) => f.id === framework)!.title,
    controls: controls.map((control) => {
      const evidence = results
        .filter(({ result }) => speaksTo(result, control.id))
        .map(({ subject, result }) => evidenceOf(subject, result));
      return { ...control, status: statusOf(evidence), evidence: summarise(evidence) };
    }),
  };
}

function evidenceOf(subject: string, result: PostureCheckResult): ControlEvidence {
  const status: ControlStatus =
    result.status === 'fail' || result.status === 'error'
      ? 'fail'
      : result.status === 'pass'
        ? 'pass'
        : 'not-applicable';
  const where = result.container === null ? subject : `${subject}/${result.container}`;
  return {
    source: `posture:${result.id}`,
    status,
    detail: `${where}: ${result.reason ?? result.status}`,
  };
}

function statusOf(evidence: readonly ControlEvidence[]): ControlStatus {
  if (evidence.some((e) => e.status === 'fail')) return 'fail';
  if (evidence.length === 0) return 'not-assessed';
  return evidence.some((e) => e.status === 'pass') ? 'pass' : 'not-applicable';
}

/** The failing evidence in full, the rest counted per check: a fleet has thousands of passes. */
function summarise(evidence: readonly ControlEvidence[]): ControlEvidence[] {
  const failing = evidence.filter((e) => e.status === 'fail');
  const counts = new Map<string, { status: ControlStatus; n: number }>();
  for (const e of evidence.filter((e) => e.status !== 'fail')) {
    const key = `${e.source}\0${e.status}`;
    counts.set(key, { status: e.status, n: (counts.get(key)?.n ?? 0) + 1 });
  }
  return [
    ...failing,
    ...[...counts].map(([key, { status, n }]) => ({
      source: key.split('\0')[0]!,
      status,
      detail: `${n} ${status}`,
    })),
  ];
}
