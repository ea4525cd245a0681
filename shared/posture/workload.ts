/*
 * A deployment definition read into one shape: the settings the runtime checks look at, each with
 * the path of the field it was read from, so that evidence and remediation speak the document's
 * own terms. Every format (an ECS task definition, a Kubernetes workload, a Compose service) is
 * read into this once (ecs.ts, kubernetes.ts, compose.ts); the checks never see the raw documents.
 */

/** A setting and where it is: `value` undefined when the field is absent (the default applies). */
export interface Field<T> {
  readonly value: T | undefined;
  /** The field's path in the document, absent or not: where to set it. */
  readonly path: string;
  /** The value as the document writes it, where `value` is derived (`networkMode: host` → true). */
  readonly written?: unknown;
}

export type DeploymentFormat = 'ecs' | 'kubernetes' | 'compose';

/**
 * Where the workload runs, as far as the document says: the ECS launch type (Fargate, EC2,
 * External), or the generic host of a Kubernetes node or a Docker engine.
 */
export type RuntimePlatform = 'fargate' | 'ec2' | 'external' | 'kubernetes' | 'docker';

/** A variable of a container's environment, with where its value comes from. */
export interface EnvironmentVariable {
  readonly name: string;
  /** The literal value, for a plain variable; never shown unredacted. */
  readonly value?: string;
  /** Where a variable that is not a literal takes its value from. */
  readonly from?: 'secret-store' | 'secret' | 'config' | 'field' | 'file';
  /** `valueFrom`, `secretKeyRef.name/key`: what the reference names. */
  readonly reference?: string;
  readonly path: string;
}

/** A host path mounted into the container (an ECS host volume, a hostPath, a bind mount). */
export interface HostMount {
  readonly hostPath: string;
  readonly containerPath: string | undefined;
  readonly readOnly: boolean;
  readonly path: string;
}

/** The user a container runs as, as far as the document says. */
export interface UserSetting {
  /** `user` (ECS, Compose): `name`, `uid`, `uid:gid`, `name:group`. */
  readonly user?: Field<string>;
  /** Kubernetes `runAsUser` (container over pod). */
  readonly runAsUser?: Field<number>;
  /** Kubernetes `runAsNonRoot` (container over pod). */
  readonly runAsNonRoot?: Field<boolean>;
}

export interface ContainerSpec {
  readonly name: string;
  /** Where the container is defined (`containerDefinitions[0]`, `spec.containers[1]`). */
  readonly path: string;
  /** An init or ephemeral container (Kubernetes); the checks judge them as the others. */
  readonly role: 'main' | 'init' | 'ephemeral';
  readonly image: Field<string>;
  /** Compose: the build context of a service built from source (`build:`), when it names no image. */
  readonly builtFrom?: Field<string>;
  /** Digests the platform reports running for this container (an ECS task's `imageDigest`). */
  readonly runningDigests: readonly string[];
  readonly privileged: Field<boolean>;
  /** `no-new-privileges` / `allowPrivilegeEscalation: false`: true when escalation is blocked. */
  readonly noNewPrivileges: Field<boolean>;
  readonly readOnlyRootFilesystem: Field<boolean>;
  readonly capabilitiesAdd: Field<readonly string[]>;
  readonly capabilitiesDrop: Field<readonly string[]>;
  readonly user: UserSetting;
  /** A hard memory limit (ECS `memory`, `limits.memory`, `mem_limit`). */
  readonly memoryLimit: Field<string | number>;
  /** A CPU limit or share (ECS `cpu`, `limits.cpu`, `cpus`/`cpu_shares`). */
  readonly cpuLimit: Field<string | number>;
  /** A PIDs limit (`pids_limit`) or, on ECS, the `nproc` ulimit. */
  readonly pidsLimit: Field<number>;
  /** `RuntimeDefault`, `Localhost`, `Unconfined`, a profile path; undefined when not set. */
  readonly seccomp: Field<string>;
  /** `RuntimeDefault`, `Localhost`, `Unconfined`, a profile name; undefined when not set. */
  readonly apparmor: Field<string>;
  /** SELinux options as set (`label:disable`, `type:spc_t`); undefined when not set. */
  readonly selinux: Field<string>;
  readonly environment: readonly EnvironmentVariable[];
  /**
   * Files of variables the runtime reads at start and this does not (ECS `environmentFiles` in
   * S3, Compose `env_file`, Kubernetes `envFrom.configMapRef`): named in the evidence.
   */
  readonly environmentFiles: readonly { readonly name: string; readonly path: string }[];
  readonly mounts: readonly HostMount[];
  /** Host devices mapped in. */
  readonly devices: Field<readonly string[]>;
  /** The log driver, where the document sets one. */
  readonly logDriver: Field<string>;
  readonly healthCheck: Field<boolean>;
  /** Host ports bound, with where. */
  readonly hostPorts: readonly { readonly port: number; readonly path: string }[];
}

export interface WorkloadSpec {
  readonly format: DeploymentFormat;
  /** `TaskDefinition`, `Deployment`, `CronJob`, `Pod`, `service` (Compose). */
  readonly kind: string;
  /** Stable, unique within a run: `ecs:family:3`, `kubernetes:ns/Deployment/web`, `compose:web`. */
  readonly id: string;
  readonly name: string;
  readonly namespace?: string;
  /** The file (and document) it was read from: `deploy.yaml#2`. */
  readonly source: string;
  readonly platform: RuntimePlatform;
  readonly os: Field<'linux' | 'windows'>;
  /** The platform's note on `os`/`platform` when it was inferred (`requiresCompatibilities`). */
  readonly platformPath: string;
  readonly hostNetwork: Field<boolean>;
  readonly hostPid: Field<boolean>;
  readonly hostIpc: Field<boolean>;
  readonly hostUts: Field<boolean>;
  /** Kubernetes: whether the service account's API token is mounted (undefined: it is, by default). */
  readonly automountServiceAccountToken: Field<boolean>;
  /** Where a workload-level memory/CPU limit applies to all containers (an ECS task's `memory`). */
  readonly taskMemory: Field<string | number>;
  readonly taskCpu: Field<string | number>;
  readonly containers: readonly ContainerSpec[];
  /** Labels/tags/annotations of the workload, for policies. */
  readonly labels: Readonly<Record<string, string>>;
}

/** A field that is absent. */
export function absent<T>(path: string): Field<T> {
  return { value: undefined, path };
}

/** A field read from `object[key]`, when it has the type `is` accepts. */
export function fieldOf<T>(
  object: Readonly<Record<string, unknown>> | undefined,
  key: string,
  path: string,
  is: (value: unknown) => value is T,
): Field<T> {
  const value = object?.[key];
  return { value: is(value) ? value : undefined, path: `${path}.${key}` };
}

export const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
export const isString = (v: unknown): v is string => typeof v === 'string';
export const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const isStringOrNumber = (v: unknown): v is string | number => isString(v) || isNumber(v);
export const isStrings = (v: unknown): v is readonly string[] =>
  Array.isArray(v) && v.every(isString);
