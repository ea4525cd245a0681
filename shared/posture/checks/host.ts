import type { PostureCheck, PostureOutcome } from '../check';
import type { Field, HostMount, WorkloadSpec } from '../workload';
import {
  eachContainer,
  evidenceOf,
  fail,
  notApplicable,
  notApplicableToAll,
  pass,
  platformExempt,
  notInFormat,
} from './outcomes';

/*
 * What a workload shares with its host: namespaces, paths, sockets, devices, ports.
 */

/**
 * A workload-wide host namespace setting, one outcome for the workload: fail when shared. The
 * field means the same on Windows (a HostProcess Pod shares the host network), so only the
 * platforms that refuse the field outright are exempt.
 */
function namespaceCheck(field: (w: WorkloadSpec) => Field<boolean>, fargate?: string) {
  return (workload: WorkloadSpec): PostureOutcome[] => {
    if (fargate !== undefined && workload.platform === 'fargate')
      return [
        notApplicable(undefined, [{ path: workload.platformPath, value: 'FARGATE' }], fargate),
      ];
    const f = field(workload);
    return [f.value === true ? fail(undefined, [evidenceOf(f)]) : pass(undefined, [evidenceOf(f)])];
  };
}

export const hostNetwork: PostureCheck = {
  id: 'host-network',
  version: 1,
  title: 'Host network namespace shared',
  severity: 'HIGH',
  cis: '5.10',
  rationale:
    'With the host’s network namespace the container sees every host interface, can bind any host port and reach services listening on localhost.',
  remediation: {
    ecs: 'Use "networkMode": "awsvpc" (or bridge) instead of "host".',
    kubernetes: 'Remove hostNetwork: true from the Pod spec.',
    compose: 'Remove network_mode: host from the service.',
  },
  evaluate: namespaceCheck(
    (w) => w.hostNetwork,
    'Fargate runs every task in awsvpc network mode: host networking is not allowed',
  ),
};

export const hostPid: PostureCheck = {
  id: 'host-pid',
  version: 1,
  title: 'Host process namespace shared',
  severity: 'HIGH',
  cis: '5.16',
  rationale: 'With the host’s PID namespace the container sees and can signal every host process.',
  remediation: {
    ecs: 'Remove "pidMode": "host" (use "task" to share within the task).',
    kubernetes: 'Remove hostPID: true from the Pod spec.',
    compose: 'Remove pid: host from the service.',
  },
  evaluate: namespaceCheck(
    (w) => w.hostPid,
    'Fargate supports only the task PID mode: the host’s cannot be shared',
  ),
};

export const hostIpc: PostureCheck = {
  id: 'host-ipc',
  version: 1,
  title: 'Host IPC namespace shared',
  severity: 'HIGH',
  cis: '5.17',
  rationale:
    'With the host’s IPC namespace the container can read and write the host’s shared memory.',
  remediation: {
    ecs: 'Remove "ipcMode": "host" (use "task" or "none").',
    kubernetes: 'Remove hostIPC: true from the Pod spec.',
    compose: 'Remove ipc: host from the service.',
  },
  evaluate: namespaceCheck(
    (w) => w.hostIpc,
    'Fargate does not support ipcMode: the host’s cannot be shared',
  ),
};

export const hostUts: PostureCheck = {
  id: 'host-uts',
  version: 1,
  title: 'Host UTS namespace shared',
  severity: 'MEDIUM',
  cis: '5.21',
  rationale: 'With the host’s UTS namespace the container can change the host’s name.',
  remediation: {
    ecs: 'ECS shares the UTS namespace only with "networkMode": "host": see host-network.',
    kubernetes: 'Kubernetes shares the UTS namespace only with hostNetwork: see host-network.',
    compose: 'Remove uts: host from the service.',
  },
  evaluate(workload) {
    if (workload.format !== 'compose')
      return [
        notApplicable(
          undefined,
          [evidenceOf(workload.hostNetwork)],
          `${workload.format === 'ecs' ? 'ECS' : 'Kubernetes'} has no UTS setting of its own: it is shared only with the host network (host-network)`,
        ),
      ];
    return namespaceCheck((w) => w.hostUts)(workload);
  },
};

/** Host directories CIS Docker Benchmark 5.6 names, and those holding the runtimes’ state. */
const SENSITIVE = [
  '/',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib64',
  '/proc',
  '/sys',
  '/usr',
  '/root',
  '/var/lib/docker',
  '/var/lib/containerd',
  '/var/lib/kubelet',
  '/var/log',
];
/** Sockets that give control of the container runtime, and the directories holding them. */
const RUNTIME_SOCKETS = /(?:^|\/)(?:docker|containerd|crio|podman|dockershim)\.sock$/;
const SOCKET_DIRECTORIES = [
  '/var/run',
  '/run',
  '/var/run/docker',
  '/run/containerd',
  '/var/run/containerd',
  '/run/crio',
];

/** `/etc/` → `/etc`, `./x` stays; `~` stays. */
function normalise(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed.replace(/\/{2,}/g, '/');
}

function isSocket(mount: HostMount): boolean {
  const path = normalise(mount.hostPath);
  return RUNTIME_SOCKETS.test(path) || SOCKET_DIRECTORIES.includes(path);
}

function isSensitive(mount: HostMount): boolean {
  const path = normalise(mount.hostPath);
  return SENSITIVE.some((s) => path === s || (s !== '/' && path.startsWith(`${s}/`)));
}

const FARGATE_HOST_VOLUMES =
  'Fargate does not support host volumes with a sourcePath: no host path can be mounted';

function mountCheck(select: (m: HostMount) => boolean): PostureCheck['evaluate'] {
  return (workload) => {
    if (workload.platform === 'fargate')
      return notApplicableToAll(
        workload,
        { path: workload.platformPath, value: 'FARGATE' },
        FARGATE_HOST_VOLUMES,
      );
    return eachContainer(workload, (c): PostureOutcome => {
      const found = c.mounts.filter(select);
      const evidence = found.map((m) => ({
        path: m.path,
        value: `${m.hostPath}${m.readOnly ? ' (read-only)' : ''}`,
      }));
      return found.length > 0
        ? fail(c, evidence)
        : pass(c, [{ path: `${c.path} host mounts`, value: c.mounts.map((m) => m.hostPath) }]);
    });
  };
}

export const sensitiveHostPaths: PostureCheck = {
  id: 'sensitive-host-paths',
  version: 1,
  title: 'Sensitive host directory mounted',
  severity: 'HIGH',
  cis: '5.6',
  rationale:
    'Mounting /, /boot, /dev, /etc, /lib, /proc, /sys or /usr (or the runtimes’ state) lets the container read or change the host’s configuration and binaries, read-write or not.',
  remediation: {
    ecs: 'Remove the host volume (volumes[].host.sourcePath) and its mountPoints; use an EFS or Docker volume for data.',
    kubernetes:
      'Remove the hostPath volume; use a PersistentVolumeClaim, configMap or emptyDir instead.',
    compose: 'Remove the bind mount of the host directory from volumes; use a named volume.',
  },
  evaluate: mountCheck((m) => isSensitive(m) && !isSocket(m)),
};

export const dockerSocket: PostureCheck = {
  id: 'docker-socket',
  version: 1,
  title: 'Container runtime socket mounted',
  severity: 'CRITICAL',
  cis: '5.32',
  rationale:
    'Whoever reaches docker.sock (or containerd’s, CRI-O’s) controls the runtime: they can start a privileged container and own the host.',
  remediation: {
    ecs: 'Remove the host volume whose sourcePath is the runtime socket (or /var/run) and its mountPoints.',
    kubernetes: 'Remove the hostPath volume of the runtime socket (or /var/run, /run).',
    compose: 'Remove the bind mount of /var/run/docker.sock (or /var/run, /run).',
  },
  evaluate: mountCheck(isSocket),
};

export const hostDevices: PostureCheck = {
  id: 'host-devices',
  version: 1,
  title: 'Host device exposed',
  severity: 'MEDIUM',
  cis: '5.18',
  rationale:
    'A host device in the container lets it read or write the hardware directly (disks, GPUs, /dev/mem).',
  remediation: {
    ecs: 'Remove linuxParameters.devices from the container definition.',
    kubernetes:
      'Kubernetes maps no devices from a Pod spec; hostPath volumes under /dev are judged by sensitive-host-paths.',
    compose: 'Remove devices from the service.',
  },
  evaluate(workload) {
    if (workload.format === 'kubernetes')
      return notInFormat(
        workload,
        'a Pod spec maps no host devices (a device plugin or a hostPath under /dev does, judged by sensitive-host-paths)',
      );
    const exempt = platformExempt(workload, 'Fargate does not support linuxParameters.devices');
    if (exempt) return exempt;
    return eachContainer(workload, (c) =>
      (c.devices.value ?? []).length > 0
        ? fail(c, [evidenceOf(c.devices)])
        : pass(c, [evidenceOf(c.devices)]),
    );
  },
};

export const privilegedPorts: PostureCheck = {
  id: 'privileged-ports',
  version: 1,
  title: 'Privileged host port bound',
  severity: 'LOW',
  cis: '5.8',
  rationale:
    'Host ports below 1024 are the host’s privileged ports; a container should publish above them and leave those to a load balancer.',
  remediation: {
    ecs: 'Use a hostPort of 1024 or above in portMappings (or awsvpc mode behind a load balancer).',
    kubernetes: 'Remove hostPort below 1024; expose the Pod through a Service.',
    compose: 'Publish on a host port of 1024 or above in ports.',
  },
  evaluate(workload) {
    return eachContainer(workload, (c) => {
      const low = c.hostPorts.filter((p) => p.port < 1024);
      return low.length > 0
        ? fail(
            c,
            low.map((p) => ({ path: p.path, value: p.port })),
          )
        : pass(
            c,
            c.hostPorts.map((p) => ({ path: p.path, value: p.port })),
          );
    });
  },
};
