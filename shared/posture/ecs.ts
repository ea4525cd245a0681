import { z } from 'zod';
import { isObject } from '../core';
import type {
  ContainerSpec,
  EnvironmentVariable,
  HostMount,
  RuntimePlatform,
  WorkloadSpec,
} from './workload';
import { absent, fieldOf, isBoolean, isNumber, isString, isStringOrNumber } from './workload';

/*
 * ECS task definitions, as `aws ecs describe-task-definition` prints them (`{taskDefinition,
 * tags}`), as the `taskDefinition` alone, and as `register-task-definition --cli-input-json`
 * takes them. The fields read are typed as the ECS API reference gives them; one of another type
 * makes the document invalid (ECS itself would refuse it), never a silently absent setting.
 */

const Strings = z.array(z.string());
const KeyValue = z
  .object({ name: z.string().optional(), value: z.string().optional() })
  .passthrough();

const ContainerDefinition = z
  .object({
    name: z.string({ message: 'a container definition has no "name"' }),
    image: z.string().optional(),
    cpu: z.number().optional(),
    memory: z.number().optional(),
    memoryReservation: z.number().optional(),
    user: z.string().optional(),
    privileged: z.boolean().optional(),
    readonlyRootFilesystem: z.boolean().optional(),
    dockerSecurityOptions: Strings.optional(),
    environment: z.array(KeyValue).optional(),
    secrets: z
      .array(z.object({ name: z.string(), valueFrom: z.string() }).passthrough())
      .optional(),
    environmentFiles: z
      .array(z.object({ value: z.string(), type: z.string().optional() }).passthrough())
      .optional(),
    linuxParameters: z
      .object({
        capabilities: z.object({ add: Strings.optional(), drop: Strings.optional() }).optional(),
        devices: z
          .array(
            z.object({ hostPath: z.string(), containerPath: z.string().optional() }).passthrough(),
          )
          .optional(),
      })
      .passthrough()
      .optional(),
    mountPoints: z
      .array(
        z
          .object({
            sourceVolume: z.string().optional(),
            containerPath: z.string().optional(),
            readOnly: z.boolean().optional(),
          })
          .passthrough(),
      )
      .optional(),
    ulimits: z
      .array(
        z.object({ name: z.string(), softLimit: z.number(), hardLimit: z.number() }).passthrough(),
      )
      .optional(),
    logConfiguration: z.object({ logDriver: z.string() }).passthrough().optional(),
    healthCheck: z.object({ command: Strings }).passthrough().optional(),
    portMappings: z
      .array(
        z
          .object({ containerPort: z.number().optional(), hostPort: z.number().optional() })
          .passthrough(),
      )
      .optional(),
  })
  .passthrough();

const TaskDefinition = z
  .object({
    family: z.string({ message: 'no "family"' }),
    revision: z.number().optional(),
    taskDefinitionArn: z.string().optional(),
    containerDefinitions: z.array(ContainerDefinition, {
      message: '"containerDefinitions" is not a list',
    }),
    networkMode: z.string().optional(),
    pidMode: z.string().optional(),
    ipcMode: z.string().optional(),
    requiresCompatibilities: Strings.optional(),
    // Text in the API; a number in some templates (CloudFormation coerces it).
    cpu: z.union([z.string(), z.number()]).optional(),
    memory: z.union([z.string(), z.number()]).optional(),
    runtimePlatform: z
      .object({ operatingSystemFamily: z.string().optional() })
      .passthrough()
      .optional(),
    volumes: z
      .array(
        z
          .object({
            name: z.string().optional(),
            host: z.object({ sourcePath: z.string().optional() }).passthrough().optional(),
          })
          .passthrough(),
      )
      .optional(),
    tags: z.array(z.object({ key: z.string(), value: z.string().optional() })).optional(),
  })
  .passthrough();

type TaskDefinitionJson = z.infer<typeof TaskDefinition>;
type ContainerDefinitionJson = z.infer<typeof ContainerDefinition>;

/** Whether `value` is an ECS task definition in one of the forms read here. */
export function isEcsTaskDefinition(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (isObject(value.taskDefinition)) return isEcsTaskDefinition(value.taskDefinition);
  return Array.isArray(value.containerDefinitions) && typeof value.family === 'string';
}

/** What the launch type adds to a task definition when it is known (a service's, a task's). */
export interface EcsRunContext {
  readonly launchType?: string;
  /** Running digests by container name (DescribeTasks `containers[].imageDigest`). */
  readonly runningDigests?: Readonly<Record<string, readonly string[]>>;
  /** The service or task group it runs as, for the workload's name. */
  readonly runsAs?: string;
}

/**
 * Reads a task definition document into a workload. `base` is the path of the task definition
 * in the document (`taskDefinition` for describe output); throws a one-line message when the
 * fields read have the wrong type.
 */
export function readEcsTaskDefinition(
  value: unknown,
  source: string,
  context: EcsRunContext = {},
): WorkloadSpec {
  const wrapped = isObject(value) && isObject(value.taskDefinition);
  const base = wrapped ? 'taskDefinition' : '';
  const parsed = TaskDefinition.safeParse(
    wrapped ? (value as { taskDefinition: unknown }).taskDefinition : value,
  );
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = join(
      base,
      issue.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : p))
        .join('.')
        .replace(/\.\[/g, '['),
    );
    throw new Error(`ECS task definition: ${where || '(root)'}: ${issue.message}`);
  }
  const task = parsed.data;
  const tags = wrapped ? (value as { tags?: unknown }).tags : task.tags;
  return workloadOf(task, base, source, context, tagsOf(tags));
}

function workloadOf(
  task: TaskDefinitionJson,
  base: string,
  source: string,
  context: EcsRunContext,
  labels: Record<string, string>,
): WorkloadSpec {
  const at = (key: string) => join(base, key);
  const record = task as Record<string, unknown>;
  const platform = platformOf(task, context);
  const osFamily = task.runtimePlatform?.operatingSystemFamily;
  const name = `${task.family}${task.revision === undefined ? '' : `:${task.revision}`}`;
  return {
    format: 'ecs',
    kind: 'TaskDefinition',
    id: `ecs:${context.runsAs === undefined ? '' : `${context.runsAs}/`}${name}`,
    name: context.runsAs ?? name,
    source,
    platform,
    platformPath: context.launchType !== undefined ? 'launchType' : at('requiresCompatibilities'),
    os: {
      value:
        osFamily === undefined ? undefined : osFamily.startsWith('WINDOWS') ? 'windows' : 'linux',
      path: at('runtimePlatform.operatingSystemFamily'),
    },
    hostNetwork: modeField(task.networkMode, at('networkMode')),
    hostPid: modeField(task.pidMode, at('pidMode')),
    hostIpc: modeField(task.ipcMode, at('ipcMode')),
    // ECS has no UTS setting of its own: host networking shares it, and host-network says so.
    automountServiceAccountToken: absent(at('automountServiceAccountToken')),
    hostUts: absent(at('networkMode')),
    taskMemory: fieldOf(record, 'memory', base, isStringOrNumber),
    taskCpu: fieldOf(record, 'cpu', base, isStringOrNumber),
    containers: task.containerDefinitions.map((c, i) =>
      containerOf(c, at(`containerDefinitions[${i}]`), task, base, context),
    ),
    labels,
  };
}

/** `host` mode as a boolean field (the others share nothing with the host). */
function modeField(mode: string | undefined, path: string) {
  return { value: mode === undefined ? undefined : mode === 'host', path, written: mode };
}

function platformOf(task: TaskDefinitionJson, context: EcsRunContext): RuntimePlatform {
  const launch = context.launchType?.toUpperCase();
  if (launch === 'FARGATE') return 'fargate';
  if (launch === 'EXTERNAL') return 'external';
  if (launch === 'EC2') return 'ec2';
  const required = task.requiresCompatibilities ?? [];
  // A definition that may run on EC2 too is judged as it would run there.
  if (required.length > 0 && required.every((c) => c === 'FARGATE')) return 'fargate';
  if (required.length > 0 && required.every((c) => c === 'EXTERNAL')) return 'external';
  return 'ec2';
}

function containerOf(
  c: ContainerDefinitionJson,
  path: string,
  task: TaskDefinitionJson,
  base: string,
  context: EcsRunContext,
): ContainerSpec {
  const record = c as Record<string, unknown>;
  const caps = c.linuxParameters?.capabilities;
  const capsPath = `${path}.linuxParameters.capabilities`;
  return {
    name: c.name,
    path,
    role: 'main',
    image: fieldOf(record, 'image', path, isString),
    runningDigests: context.runningDigests?.[c.name] ?? [],
    privileged: fieldOf(record, 'privileged', path, isBoolean),
    ...securityOptionsOf(c, path),
    readOnlyRootFilesystem: fieldOf(record, 'readonlyRootFilesystem', path, isBoolean),
    capabilitiesAdd: { value: caps?.add, path: `${capsPath}.add` },
    capabilitiesDrop: { value: caps?.drop, path: `${capsPath}.drop` },
    user: { user: fieldOf(record, 'user', path, isString) },
    memoryLimit: fieldOf(record, 'memory', path, isNumber),
    cpuLimit: (c.cpu ?? 0) > 0 ? fieldOf(record, 'cpu', path, isNumber) : absent(`${path}.cpu`),
    pidsLimit: nprocOf(c, path),
    environment: environmentOf(c, path),
    environmentFiles: (c.environmentFiles ?? []).map((f, i) => ({
      name: f.value,
      path: `${path}.environmentFiles[${i}]`,
    })),
    mounts: mountsOf(c, path, task, base),
    devices: {
      value: c.linuxParameters?.devices?.map((d) => d.hostPath),
      path: `${path}.linuxParameters.devices`,
    },
    logDriver: { value: c.logConfiguration?.logDriver, path: `${path}.logConfiguration.logDriver` },
    healthCheck: {
      value: c.healthCheck === undefined ? undefined : c.healthCheck.command.length > 0,
      path: `${path}.healthCheck`,
    },
    hostPorts: hostPortsOf(c, path, task.networkMode),
  };
}

/** What `dockerSecurityOptions` sets: no-new-privileges, and the AppArmor, SELinux, seccomp profiles. */
function securityOptionsOf(
  c: ContainerDefinitionJson,
  path: string,
): Pick<ContainerSpec, 'noNewPrivileges' | 'seccomp' | 'apparmor' | 'selinux'> {
  const options = c.dockerSecurityOptions ?? [];
  const optionsPath = `${path}.dockerSecurityOptions`;
  const option = (prefix: string) => {
    const found = options.find((o) => o.startsWith(prefix));
    return { value: found?.slice(prefix.length), path: optionsPath, written: found };
  };
  return {
    noNewPrivileges: {
      value: options.includes('no-new-privileges') ? true : undefined,
      path: optionsPath,
    },
    seccomp: option('seccomp='),
    apparmor: option('apparmor:'),
    selinux: option('label:'),
  };
}

/** ECS has no PIDs cgroup limit; the `nproc` ulimit bounds the processes of each user. */
function nprocOf(c: ContainerDefinitionJson, path: string): ContainerSpec['pidsLimit'] {
  const nproc = c.ulimits?.findIndex((u) => u.name === 'nproc') ?? -1;
  return nproc < 0
    ? absent(`${path}.ulimits`)
    : { value: c.ulimits![nproc]!.hardLimit, path: `${path}.ulimits[${nproc}].hardLimit` };
}

/** Host ports bound: in bridge mode `hostPort`, in host mode the container port itself; none in awsvpc. */
function hostPortsOf(
  c: ContainerDefinitionJson,
  path: string,
  networkMode: string | undefined,
): ContainerSpec['hostPorts'] {
  if (networkMode === 'awsvpc' || networkMode === 'none') return [];
  return (c.portMappings ?? []).flatMap((p, i) => {
    const port = p.hostPort ?? (networkMode === 'host' ? p.containerPort : undefined);
    return port === undefined || port === 0 ? [] : [{ port, path: `${path}.portMappings[${i}]` }];
  });
}

function environmentOf(c: ContainerDefinitionJson, path: string): EnvironmentVariable[] {
  const plain = (c.environment ?? []).flatMap((e, i): EnvironmentVariable[] =>
    e.name === undefined
      ? []
      : [{ name: e.name, value: e.value ?? '', path: `${path}.environment[${i}]` }],
  );
  const secrets = (c.secrets ?? []).map((s, i): EnvironmentVariable => ({
    name: s.name,
    from: 'secret-store',
    reference: s.valueFrom,
    path: `${path}.secrets[${i}]`,
  }));
  return [...plain, ...secrets];
}

/** Host volumes (`volumes[].host.sourcePath`) the container mounts. */
function mountsOf(
  c: ContainerDefinitionJson,
  path: string,
  task: TaskDefinitionJson,
  base: string,
): HostMount[] {
  const volumes = task.volumes ?? [];
  return (c.mountPoints ?? []).flatMap((m, i): HostMount[] => {
    const v = volumes.findIndex((volume) => volume.name === m.sourceVolume);
    const sourcePath = volumes[v]?.host?.sourcePath;
    if (sourcePath === undefined) return [];
    return [
      {
        hostPath: sourcePath,
        containerPath: m.containerPath,
        readOnly: m.readOnly === true,
        path: `${path}.mountPoints[${i}] → ${join(base, `volumes[${v}].host.sourcePath`)}`,
      },
    ];
  });
}

function tagsOf(value: unknown): Record<string, string> {
  if (!Array.isArray(value)) return {};
  return Object.fromEntries(
    value.flatMap((t: unknown) =>
      isObject(t) && typeof t.key === 'string'
        ? [[t.key, typeof t.value === 'string' ? t.value : '']]
        : [],
    ),
  );
}

function join(base: string, key: string): string {
  return base === '' ? key : `${base}.${key}`;
}
