import { z } from 'zod';
import { isObject } from '../core';
import type {
  ContainerSpec,
  EnvironmentVariable,
  Field,
  HostMount,
  WorkloadSpec,
} from './workload';
import { absent } from './workload';

/*
 * Docker Compose files (the Compose Specification; `version:` is ignored, as Compose v2 does):
 * one workload per service. Short and long syntaxes are both read (volumes, ports, devices,
 * environment as a map or a list). `env_file` and `extends` name other files, which are not
 * read: a service that uses them says so in its evidence.
 */

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const Strings = z.array(z.string());
const Limits = z
  .object({
    memory: z.union([z.string(), z.number()]).optional(),
    cpus: z.union([z.string(), z.number()]).optional(),
    pids: z.number().optional(),
  })
  .passthrough();
const Service = z
  .object({
    image: z.string().optional(),
    build: z
      .union([z.string(), z.object({ context: z.string().optional() }).passthrough()])
      .optional(),
    privileged: z.boolean().optional(),
    read_only: z.boolean().optional(),
    user: z.union([z.string(), z.number()]).optional(),
    cap_add: Strings.optional(),
    cap_drop: Strings.optional(),
    security_opt: Strings.optional(),
    mem_limit: z.union([z.string(), z.number()]).optional(),
    cpus: z.union([z.string(), z.number()]).optional(),
    cpu_shares: z.number().optional(),
    cpu_quota: z.number().optional(),
    pids_limit: z.number().optional(),
    deploy: z
      .object({ resources: z.object({ limits: Limits.optional() }).passthrough().optional() })
      .passthrough()
      .optional(),
    network_mode: z.string().optional(),
    pid: z.string().optional(),
    ipc: z.string().optional(),
    uts: z.string().optional(),
    volumes: z
      .array(
        z.union([
          z.string(),
          z
            .object({
              type: z.string(),
              source: z.string().optional(),
              target: z.string().optional(),
              read_only: z.boolean().optional(),
            })
            .passthrough(),
        ]),
      )
      .optional(),
    devices: z
      .array(z.union([z.string(), z.object({ source: z.string() }).passthrough()]))
      .optional(),
    environment: z.union([z.record(Scalar), z.array(z.string())]).optional(),
    env_file: z
      .union([
        z.string(),
        z.array(z.union([z.string(), z.object({ path: z.string() }).passthrough()])),
      ])
      .optional(),
    logging: z.object({ driver: z.string().optional() }).passthrough().optional(),
    healthcheck: z
      .object({ test: z.union([z.string(), Strings]).optional(), disable: z.boolean().optional() })
      .passthrough()
      .optional(),
    ports: z
      .array(
        z.union([
          z.string(),
          z.number(),
          z.object({ published: z.union([z.string(), z.number()]).optional() }).passthrough(),
        ]),
      )
      .optional(),
  })
  .passthrough();
type ServiceJson = z.infer<typeof Service>;

/** Whether `value` is a Compose file: a `services` mapping of mappings (and no Kubernetes `kind`). */
export function isComposeFile(value: unknown): boolean {
  return (
    isObject(value) &&
    value.kind === undefined &&
    isObject(value.services) &&
    Object.values(value.services).every((s) => isObject(s) || s === null)
  );
}

/** The services of a Compose file, one workload each; a malformed service throws a one-line message. */
export function readComposeFile(value: unknown, source: string): WorkloadSpec[] {
  const file = value as { services: Record<string, unknown>; name?: unknown };
  const project = typeof file.name === 'string' ? `${file.name}/` : '';
  return Object.entries(file.services).map(([name, raw]) => {
    const path = `services.${name}`;
    const parsed = Service.safeParse(raw ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = issue.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('');
      throw new Error(`${path}${where}: ${issue.message}`);
    }
    return serviceOf(name, parsed.data, path, `compose:${project}${name}`, source);
  });
}

function serviceOf(
  name: string,
  s: ServiceJson,
  path: string,
  id: string,
  source: string,
): WorkloadSpec {
  const mode = (value: string | undefined, key: string): Field<boolean> => ({
    value: value === undefined ? undefined : value === 'host',
    path: `${path}.${key}`,
    written: value,
  });
  return {
    format: 'compose',
    kind: 'service',
    id,
    name,
    source,
    platform: 'docker',
    platformPath: `${path}.platform`,
    os: absent(`${path}.platform`),
    hostNetwork: mode(s.network_mode, 'network_mode'),
    hostPid: mode(s.pid, 'pid'),
    hostIpc: mode(s.ipc, 'ipc'),
    automountServiceAccountToken: absent(`${path}.automountServiceAccountToken`),
    hostUts: mode(s.uts, 'uts'),
    taskMemory: absent(`${path}.deploy.resources.limits.memory`),
    taskCpu: absent(`${path}.deploy.resources.limits.cpus`),
    containers: [containerOf(name, s, path)],
    labels: {},
  };
}

function containerOf(name: string, s: ServiceJson, path: string): ContainerSpec {
  return {
    name,
    path,
    role: 'main',
    image: { value: s.image, path: `${path}.image` },
    ...(s.image === undefined &&
      s.build !== undefined && {
        builtFrom: {
          value: typeof s.build === 'string' ? s.build : (s.build.context ?? '.'),
          path: `${path}.build`,
        },
      }),
    runningDigests: [],
    privileged: { value: s.privileged, path: `${path}.privileged` },
    ...securityOptionsOf(s, path),
    readOnlyRootFilesystem: { value: s.read_only, path: `${path}.read_only` },
    capabilitiesAdd: { value: s.cap_add, path: `${path}.cap_add` },
    capabilitiesDrop: { value: s.cap_drop, path: `${path}.cap_drop` },
    user: {
      user: { value: s.user === undefined ? undefined : String(s.user), path: `${path}.user` },
    },
    ...limitsOf(s, path),
    environment: environmentOf(s, path),
    environmentFiles: (s.env_file === undefined ? [] : [s.env_file].flat()).map((f, i) => ({
      name: typeof f === 'string' ? f : f.path,
      path: typeof s.env_file === 'string' ? `${path}.env_file` : `${path}.env_file[${i}]`,
    })),
    mounts: mountsOf(s, path),
    devices: {
      value: s.devices?.map((d) => (typeof d === 'string' ? d.split(':')[0]! : d.source)),
      path: `${path}.devices`,
    },
    logDriver: { value: s.logging?.driver, path: `${path}.logging.driver` },
    healthCheck: {
      value:
        s.healthcheck === undefined
          ? undefined
          : s.healthcheck.disable !== true && !isNone(s.healthcheck.test),
      path: `${path}.healthcheck`,
    },
    hostPorts: (s.ports ?? []).flatMap((p, i) => {
      const port = publishedPort(p);
      return port === undefined ? [] : [{ port, path: `${path}.ports[${i}]` }];
    }),
  };
}

/** What `security_opt` sets (`key:value` or `key=value`; a bare `no-new-privileges` is true). */
function securityOptionsOf(
  s: ServiceJson,
  path: string,
): Pick<ContainerSpec, 'noNewPrivileges' | 'seccomp' | 'apparmor' | 'selinux'> {
  const options = s.security_opt ?? [];
  const optionsPath = `${path}.security_opt`;
  const option = (key: string, bare?: string): Field<string> => {
    const found = options.find(
      (o) => o === key || o.startsWith(`${key}:`) || o.startsWith(`${key}=`),
    );
    return {
      value: found === undefined ? undefined : found === key ? bare : found.slice(key.length + 1),
      path: optionsPath,
      written: found,
    };
  };
  const nnp = option('no-new-privileges', 'true');
  return {
    noNewPrivileges: {
      value: nnp.value === undefined ? undefined : nnp.value !== 'false',
      path: optionsPath,
      written: nnp.written,
    },
    seccomp: option('seccomp'),
    apparmor: option('apparmor'),
    selinux: option('label'),
  };
}

/** Limits: `deploy.resources.limits` (the Compose Specification's), else the service-level keys. */
function limitsOf(
  s: ServiceJson,
  path: string,
): Pick<ContainerSpec, 'memoryLimit' | 'cpuLimit' | 'pidsLimit'> {
  const limits = s.deploy?.resources?.limits;
  const at = `${path}.deploy.resources.limits`;
  const cpu: [unknown, string][] = [
    [limits?.cpus, `${at}.cpus`],
    [s.cpus, `${path}.cpus`],
    [s.cpu_quota, `${path}.cpu_quota`],
    [s.cpu_shares, `${path}.cpu_shares`],
  ];
  const [cpuValue, cpuPath] = cpu.find(([value]) => value !== undefined) ?? [
    undefined,
    `${at}.cpus`,
  ];
  return {
    memoryLimit:
      limits?.memory !== undefined
        ? { value: limits.memory, path: `${at}.memory` }
        : { value: s.mem_limit, path: `${path}.mem_limit` },
    cpuLimit: { value: cpuValue as string | number | undefined, path: cpuPath },
    pidsLimit:
      limits?.pids !== undefined
        ? { value: limits.pids, path: `${at}.pids` }
        : { value: s.pids_limit, path: `${path}.pids_limit` },
  };
}

/** `test: ["NONE"]` disables the image's health check. */
function isNone(test: string | readonly string[] | undefined): boolean {
  return Array.isArray(test) ? test[0] === 'NONE' : test === 'NONE';
}

function environmentOf(s: ServiceJson, path: string): EnvironmentVariable[] {
  const env = s.environment;
  if (env === undefined) return [];
  if (Array.isArray(env))
    return env.map((entry, i) => {
      const eq = entry.indexOf('=');
      // `- NAME` alone takes the value from the shell running compose: not a literal here.
      return eq < 0
        ? { name: entry, from: 'field' as const, path: `${path}.environment[${i}]` }
        : {
            name: entry.slice(0, eq),
            value: entry.slice(eq + 1),
            path: `${path}.environment[${i}]`,
          };
    });
  return Object.entries(env).map(([name, value]) =>
    value === null
      ? { name, from: 'field' as const, path: `${path}.environment.${name}` }
      : { name, value: String(value), path: `${path}.environment.${name}` },
  );
}

/** Bind mounts: short syntax with a path source (`/`, `.`, `~`), or long syntax `type: bind`. */
function mountsOf(s: ServiceJson, path: string): HostMount[] {
  return (s.volumes ?? []).flatMap((v, i): HostMount[] => {
    const where = `${path}.volumes[${i}]`;
    if (typeof v === 'string') {
      const [source, target, mode] = v.split(':');
      if (target === undefined || !/^[/.~]/.test(source!)) return [];
      return [
        {
          hostPath: source!,
          containerPath: target,
          readOnly: /(^|,)ro(,|$)/.test(mode ?? ''),
          path: where,
        },
      ];
    }
    if (v.type !== 'bind' || v.source === undefined) return [];
    return [
      { hostPath: v.source, containerPath: v.target, readOnly: v.read_only === true, path: where },
    ];
  });
}

/** The host port of `8080:80`, `127.0.0.1:8080:80/tcp`, `{published: 8080}`; none for `80` alone. */
function publishedPort(
  port: string | number | { published?: string | number },
): number | undefined {
  if (typeof port === 'number') return undefined;
  if (typeof port === 'object') {
    const n = Number.parseInt(String(port.published ?? ''), 10);
    return Number.isNaN(n) ? undefined : n;
  }
  const parts = port.replace(/\/\w+$/, '').split(':');
  if (parts.length < 2) return undefined;
  const n = Number.parseInt(parts[parts.length - 2]!.split('-')[0]!, 10);
  return Number.isNaN(n) ? undefined : n;
}
