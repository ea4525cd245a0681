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
 * Kubernetes workloads: where each kind keeps its Pod template (`spec`, `spec.template.spec`,
 * `spec.jobTemplate.spec.template.spec`), and the Pod and container fields the checks read, typed
 * as the Kubernetes API reference gives them. The API server refuses a manifest whose fields have
 * the wrong type; so does this, with the field's path, rather than reading it as absent.
 */

/** Where each workload kind keeps its Pod template: the spec's path and its metadata's. */
const POD_TEMPLATES: Readonly<Record<string, readonly [spec: string, metadata: string]>> = {
  Pod: ['spec', 'metadata'],
  PodTemplate: ['template.spec', 'template.metadata'],
  Deployment: ['spec.template.spec', 'spec.template.metadata'],
  StatefulSet: ['spec.template.spec', 'spec.template.metadata'],
  DaemonSet: ['spec.template.spec', 'spec.template.metadata'],
  ReplicaSet: ['spec.template.spec', 'spec.template.metadata'],
  ReplicationController: ['spec.template.spec', 'spec.template.metadata'],
  Job: ['spec.template.spec', 'spec.template.metadata'],
  CronJob: ['spec.jobTemplate.spec.template.spec', 'spec.jobTemplate.spec.template.metadata'],
};

/**
 * Built-in kinds that run no container of their own: reported as read and skipped. Any other
 * kind (a custom resource, an Argo Rollout, a Knative Service) is unknown: it may run containers
 * this does not read, so it is a coverage gap, never a guess.
 */
const NOT_WORKLOADS = new Set([
  'APIService',
  'ClusterRole',
  'ClusterRoleBinding',
  'ConfigMap',
  'CSIDriver',
  'CustomResourceDefinition',
  'Endpoints',
  'EndpointSlice',
  'Event',
  'HorizontalPodAutoscaler',
  'Ingress',
  'IngressClass',
  'Lease',
  'LimitRange',
  'MutatingWebhookConfiguration',
  'Namespace',
  'NetworkPolicy',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'PodDisruptionBudget',
  'PriorityClass',
  'ResourceQuota',
  'Role',
  'RoleBinding',
  'RuntimeClass',
  'Secret',
  'Service',
  'ServiceAccount',
  'StorageClass',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
]);

export type KubernetesDocument =
  | { readonly type: 'workload'; readonly kind: string }
  | { readonly type: 'list' }
  | { readonly type: 'not-a-workload'; readonly kind: string }
  | { readonly type: 'unknown-kind'; readonly kind: string };

/** What a document with `apiVersion` and `kind` is, or undefined when it has neither. */
export function kubernetesDocumentOf(value: unknown): KubernetesDocument | undefined {
  if (!isObject(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string')
    return undefined;
  const kind = value.kind;
  if (
    kind in POD_TEMPLATES &&
    value.apiVersion.split('/').length <= 2 &&
    isBuiltIn(value.apiVersion)
  )
    return { type: 'workload', kind };
  if (kind === 'List' || (kind.endsWith('List') && Array.isArray(value.items)))
    return { type: 'list' };
  if (NOT_WORKLOADS.has(kind)) return { type: 'not-a-workload', kind };
  return { type: 'unknown-kind', kind };
}

/** The API groups of the built-in workload kinds (`v1`, `apps/v1`, `batch/v1`, their betas). */
function isBuiltIn(apiVersion: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
  return ['', 'apps', 'batch', 'extensions'].includes(group);
}

const Strings = z.array(z.string());
const Quantity = z.union([z.string(), z.number()]);
const Profile = z
  .object({ type: z.string(), localhostProfile: z.string().optional() })
  .passthrough();
const SeLinux = z
  .object({
    type: z.string().optional(),
    level: z.string().optional(),
    user: z.string().optional(),
    role: z.string().optional(),
  })
  .passthrough();
const SecurityContext = z
  .object({
    privileged: z.boolean().optional(),
    allowPrivilegeEscalation: z.boolean().optional(),
    readOnlyRootFilesystem: z.boolean().optional(),
    runAsUser: z.number().optional(),
    runAsNonRoot: z.boolean().optional(),
    capabilities: z
      .object({ add: Strings.optional(), drop: Strings.optional() })
      .passthrough()
      .optional(),
    seccompProfile: Profile.optional(),
    appArmorProfile: Profile.optional(),
    seLinuxOptions: SeLinux.optional(),
    windowsOptions: z.object({}).passthrough().optional(),
  })
  .passthrough();
const Probe = z.object({}).passthrough();
const Container = z
  .object({
    name: z.string({ message: 'a container has no "name"' }),
    image: z.string().optional(),
    securityContext: SecurityContext.optional(),
    resources: z
      .object({
        limits: z.record(Quantity).optional(),
        requests: z.record(Quantity).optional(),
      })
      .passthrough()
      .optional(),
    env: z
      .array(
        z
          .object({
            name: z.string(),
            value: z.string().optional(),
            valueFrom: z
              .object({
                secretKeyRef: z
                  .object({ name: z.string().optional(), key: z.string() })
                  .passthrough()
                  .optional(),
                configMapKeyRef: z.object({}).passthrough().optional(),
                fieldRef: z.object({}).passthrough().optional(),
                resourceFieldRef: z.object({}).passthrough().optional(),
              })
              .passthrough()
              .optional(),
          })
          .passthrough(),
      )
      .optional(),
    envFrom: z
      .array(
        z
          .object({
            secretRef: z.object({ name: z.string().optional() }).passthrough().optional(),
            configMapRef: z.object({ name: z.string().optional() }).passthrough().optional(),
          })
          .passthrough(),
      )
      .optional(),
    volumeMounts: z
      .array(
        z
          .object({ name: z.string(), mountPath: z.string(), readOnly: z.boolean().optional() })
          .passthrough(),
      )
      .optional(),
    ports: z
      .array(
        z
          .object({ containerPort: z.number().optional(), hostPort: z.number().optional() })
          .passthrough(),
      )
      .optional(),
    livenessProbe: Probe.optional(),
    readinessProbe: Probe.optional(),
    startupProbe: Probe.optional(),
  })
  .passthrough();
const PodSpec = z
  .object({
    containers: z.array(Container, { message: '"containers" is not a list' }),
    initContainers: z.array(Container).optional(),
    ephemeralContainers: z.array(Container).optional(),
    hostNetwork: z.boolean().optional(),
    hostPID: z.boolean().optional(),
    hostIPC: z.boolean().optional(),
    automountServiceAccountToken: z.boolean().optional(),
    securityContext: SecurityContext.optional(),
    volumes: z
      .array(
        z
          .object({
            name: z.string(),
            hostPath: z.object({ path: z.string() }).passthrough().optional(),
          })
          .passthrough(),
      )
      .optional(),
    nodeSelector: z.record(z.string()).optional(),
    os: z.object({ name: z.string() }).passthrough().optional(),
  })
  .passthrough();
const Metadata = z
  .object({
    name: z.string().optional(),
    namespace: z.string().optional(),
    labels: z.record(z.string()).optional(),
    annotations: z.record(z.string()).optional(),
  })
  .passthrough();

type PodSpecJson = z.infer<typeof PodSpec>;
type ContainerJson = z.infer<typeof Container>;
type SecurityContextJson = z.infer<typeof SecurityContext>;

/** The items of a `List` (`kind: List`, `DeploymentList`, `kubectl get -o yaml` output). */
export function listItems(value: unknown): readonly unknown[] {
  return isObject(value) && Array.isArray(value.items) ? value.items : [];
}

/** Reads a workload manifest; throws a one-line message naming the field that is not as the API defines it. */
export function readKubernetesWorkload(value: unknown, kind: string, source: string): WorkloadSpec {
  const [specPath, metadataPath] = POD_TEMPLATES[kind]!;
  const metadata = parse(Metadata, at(value, 'metadata') ?? {}, 'metadata');
  const template = parse(Metadata, at(value, metadataPath) ?? {}, metadataPath);
  const spec = at(value, specPath);
  if (spec === undefined) throw new Error(`${kind}: no ${specPath}`);
  const pod = parse(PodSpec, spec, specPath);
  const annotations = { ...template.annotations };
  const name = metadata.name ?? '(unnamed)';
  const namespace = metadata.namespace;
  const containers = [
    ...pod.containers.map((c, i) =>
      containerOf(c, `${specPath}.containers[${i}]`, 'main', pod, specPath, annotations),
    ),
    ...(pod.initContainers ?? []).map((c, i) =>
      containerOf(c, `${specPath}.initContainers[${i}]`, 'init', pod, specPath, annotations),
    ),
    ...(pod.ephemeralContainers ?? []).map((c, i) =>
      containerOf(
        c,
        `${specPath}.ephemeralContainers[${i}]`,
        'ephemeral',
        pod,
        specPath,
        annotations,
      ),
    ),
  ];
  return {
    format: 'kubernetes',
    kind,
    id: `kubernetes:${namespace ?? 'default'}/${kind}/${name}`,
    name,
    ...(namespace !== undefined && { namespace }),
    source,
    platform: 'kubernetes',
    platformPath: `${specPath}.os.name`,
    os: osOf(pod, specPath),
    hostNetwork: { value: pod.hostNetwork, path: `${specPath}.hostNetwork` },
    hostPid: { value: pod.hostPID, path: `${specPath}.hostPID` },
    hostIpc: { value: pod.hostIPC, path: `${specPath}.hostIPC` },
    automountServiceAccountToken: {
      value: pod.automountServiceAccountToken,
      path: `${specPath}.automountServiceAccountToken`,
    },
    hostUts: absent(`${specPath}.hostNetwork`),
    taskMemory: absent(`${specPath}.overhead`),
    taskCpu: absent(`${specPath}.overhead`),
    containers,
    labels: { ...metadata.labels, ...template.labels },
  };
}

function osOf(pod: PodSpecJson, specPath: string): Field<'linux' | 'windows'> {
  const name = pod.os?.name;
  if (name !== undefined)
    return { value: name === 'windows' ? 'windows' : 'linux', path: `${specPath}.os.name` };
  const selected = pod.nodeSelector?.['kubernetes.io/os'];
  if (selected !== undefined)
    return {
      value: selected === 'windows' ? 'windows' : 'linux',
      path: `${specPath}.nodeSelector["kubernetes.io/os"]`,
    };
  if (pod.securityContext?.windowsOptions !== undefined)
    return { value: 'windows', path: `${specPath}.securityContext.windowsOptions` };
  return absent(`${specPath}.os.name`);
}

/** A securityContext field: the container's (`own`), or the container's else the Pod's (`inherited`). */
interface SecurityFields {
  readonly own: <K extends keyof SecurityContextJson>(
    key: K,
  ) => Field<NonNullable<SecurityContextJson[K]>>;
  readonly inherited: <K extends keyof SecurityContextJson>(
    key: K,
  ) => Field<NonNullable<SecurityContextJson[K]>>;
}

function securityFields(
  c: ContainerJson,
  path: string,
  pod: PodSpecJson,
  specPath: string,
): SecurityFields {
  const sc = c.securityContext;
  const scPath = `${path}.securityContext`;
  const podSc = pod.securityContext;
  const own = <K extends keyof SecurityContextJson>(
    key: K,
  ): Field<NonNullable<SecurityContextJson[K]>> =>
    sc?.[key] === undefined
      ? absent(`${scPath}.${key}`)
      : { value: sc[key]!, path: `${scPath}.${key}` };
  return {
    own,
    // Those Kubernetes lets a Pod default: the container's setting wins.
    inherited: (key) =>
      sc?.[key] === undefined && podSc?.[key] !== undefined
        ? { value: podSc[key]!, path: `${specPath}.securityContext.${key}` }
        : own(key),
  };
}

function containerOf(
  c: ContainerJson,
  path: string,
  role: ContainerSpec['role'],
  pod: PodSpecJson,
  specPath: string,
  annotations: Readonly<Record<string, string>>,
): ContainerSpec {
  const { own, inherited } = securityFields(c, path, pod, specPath);
  const scPath = `${path}.securityContext`;
  const escalation = own('allowPrivilegeEscalation');
  const probed = [c.livenessProbe, c.readinessProbe, c.startupProbe].some((p) => p !== undefined);
  return {
    name: c.name,
    path,
    role,
    image: { value: c.image, path: `${path}.image` },
    runningDigests: [],
    privileged: own('privileged'),
    noNewPrivileges: {
      value: escalation.value === undefined ? undefined : !escalation.value,
      path: escalation.path,
      written: escalation.value,
    },
    readOnlyRootFilesystem: own('readOnlyRootFilesystem'),
    capabilitiesAdd: {
      value: c.securityContext?.capabilities?.add,
      path: `${scPath}.capabilities.add`,
    },
    capabilitiesDrop: {
      value: c.securityContext?.capabilities?.drop,
      path: `${scPath}.capabilities.drop`,
    },
    user: { runAsUser: inherited('runAsUser'), runAsNonRoot: inherited('runAsNonRoot') },
    memoryLimit: { value: c.resources?.limits?.memory, path: `${path}.resources.limits.memory` },
    cpuLimit: { value: c.resources?.limits?.cpu, path: `${path}.resources.limits.cpu` },
    pidsLimit: absent(`${path}.resources.limits`),
    ...profilesOf(c, inherited, scPath, annotations),
    environment: environmentOf(c, path),
    environmentFiles: (c.envFrom ?? []).flatMap((e, i) =>
      e.configMapRef === undefined
        ? []
        : [{ name: `ConfigMap ${e.configMapRef.name ?? ''}`, path: `${path}.envFrom[${i}]` }],
    ),
    mounts: mountsOf(c, path, pod, specPath),
    devices: absent(`${path}.volumeDevices`),
    logDriver: absent(`${path}`),
    healthCheck: { value: probed ? true : undefined, path: `${path}.livenessProbe` },
    hostPorts: (c.ports ?? []).flatMap((p, i) =>
      p.hostPort === undefined || p.hostPort === 0
        ? []
        : [{ port: p.hostPort, path: `${path}.ports[${i}].hostPort` }],
    ),
  };
}

/** Seccomp and AppArmor from the securityContext, else the legacy annotations; SELinux options. */
function profilesOf(
  c: ContainerJson,
  inherited: SecurityFields['inherited'],
  scPath: string,
  annotations: Readonly<Record<string, string>>,
): Pick<ContainerSpec, 'seccomp' | 'apparmor' | 'selinux'> {
  const seccomp = inherited('seccompProfile');
  const apparmor = inherited('appArmorProfile');
  const selinux = inherited('seLinuxOptions');
  const seccompAnnotations = [
    `container.seccomp.security.alpha.kubernetes.io/${c.name}`,
    'seccomp.security.alpha.kubernetes.io/pod',
  ];
  const apparmorAnnotations = [`container.apparmor.security.beta.kubernetes.io/${c.name}`];
  return {
    seccomp:
      seccomp.value !== undefined
        ? { value: profileName(seccomp.value), path: seccomp.path }
        : (annotation(annotations, seccompAnnotations) ?? absent(`${scPath}.seccompProfile.type`)),
    apparmor:
      apparmor.value !== undefined
        ? { value: profileName(apparmor.value), path: apparmor.path }
        : (annotation(annotations, apparmorAnnotations) ??
          absent(`${scPath}.appArmorProfile.type`)),
    selinux: {
      value:
        selinux.value === undefined
          ? undefined
          : Object.entries(selinux.value)
              .filter(([, v]) => typeof v === 'string')
              .map(([k, v]) => `${k}:${String(v)}`)
              .join(','),
      path: selinux.path,
    },
  };
}

/** `RuntimeDefault`, `Unconfined`, `Localhost:<profile>`. */
function profileName(profile: { type: string; localhostProfile?: string }): string {
  return profile.localhostProfile === undefined
    ? profile.type
    : `${profile.type}:${profile.localhostProfile}`;
}

/** The legacy annotations' value (`runtime/default`, `unconfined`, `localhost/<p>`) in the field's terms. */
function annotation(
  annotations: Readonly<Record<string, string>>,
  keys: readonly string[],
): Field<string> | undefined {
  const key = keys.find((k) => annotations[k] !== undefined);
  if (key === undefined) return undefined;
  const value = annotations[key]!;
  const name =
    value === 'unconfined'
      ? 'Unconfined'
      : value === 'runtime/default' || value === 'docker/default'
        ? 'RuntimeDefault'
        : value.startsWith('localhost/')
          ? `Localhost:${value.slice('localhost/'.length)}`
          : value;
  return { value: name, path: `metadata.annotations["${key}"]` };
}

function environmentOf(c: ContainerJson, path: string): EnvironmentVariable[] {
  const env = (c.env ?? []).map((e, i): EnvironmentVariable => {
    const entry = { name: e.name, path: `${path}.env[${i}]` };
    const from = e.valueFrom;
    if (from?.secretKeyRef !== undefined)
      return {
        ...entry,
        from: 'secret',
        reference: `${from.secretKeyRef.name ?? ''}/${from.secretKeyRef.key}`,
      };
    if (from?.configMapKeyRef !== undefined) return { ...entry, from: 'config' };
    if (from?.fieldRef !== undefined || from?.resourceFieldRef !== undefined)
      return { ...entry, from: 'field' };
    return { ...entry, value: e.value ?? '' };
  });
  const envFrom = (c.envFrom ?? []).flatMap((e, i): EnvironmentVariable[] =>
    e.secretRef !== undefined
      ? [
          {
            name: `(all keys of Secret ${e.secretRef.name ?? ''})`,
            from: 'secret',
            reference: e.secretRef.name ?? '',
            path: `${path}.envFrom[${i}]`,
          },
        ]
      : [],
  );
  return [...env, ...envFrom];
}

function mountsOf(c: ContainerJson, path: string, pod: PodSpecJson, specPath: string): HostMount[] {
  const volumes = pod.volumes ?? [];
  return (c.volumeMounts ?? []).flatMap((m, i): HostMount[] => {
    const v = volumes.findIndex((volume) => volume.name === m.name);
    const hostPath = volumes[v]?.hostPath?.path;
    if (hostPath === undefined) return [];
    return [
      {
        hostPath,
        containerPath: m.mountPath,
        readOnly: m.readOnly === true,
        path: `${path}.volumeMounts[${i}] → ${specPath}.volumes[${v}].hostPath.path`,
      },
    ];
  });
}

function at(value: unknown, path: string): unknown {
  let here: unknown = value;
  for (const key of path.split('.')) {
    if (!isObject(here)) return undefined;
    here = here[key];
  }
  return here;
}

function parse<T extends z.ZodTypeAny>(schema: T, value: unknown, base: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data as z.infer<T>;
  const issue = parsed.error.issues[0]!;
  const where = [
    base,
    ...issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)),
  ]
    .join('')
    .replace(/^\./, '');
  throw new Error(`${where}: ${issue.message}`);
}
