/*
 * What the nightly posture run collects: two recordings, each the API's own answers as they
 * came (dates as ISO text), so that the judge (shared/posture) reads the same documents in the
 * cloud, offline from a file, and in the tests. An API error at one place is recorded there as
 * `{ error }`, and the rest is kept: the judge turns it into an error outcome or a coverage gap.
 * The collectors are adapters (shared/aws/ecs/, shared/aws/ecr/); these are their ports.
 */

/** The `recording` field of an ECS inventory. */
export const ECS_INVENTORY_RECORDING = 'clearance/ecs-inventory/v1';
/** The `recording` field of a registry's posture. */
export const ECR_REGISTRY_RECORDING = 'clearance/ecr-registry/v1';

/** An API answer as JSON: an SDK output item with its dates as ISO text. */
export type ApiItem = Readonly<Record<string, unknown>>;

/** What could not be read at a place of a recording: the call, the resource and the service's error. */
export interface RecordedError {
  readonly error: string;
}

/** A service of a cluster: DescribeServices' item, its task definition, its running tasks. */
export interface RecordedService {
  /** The DescribeServices item (or, when it could not be described, `{ serviceArn }`). */
  readonly service: ApiItem;
  /** DescribeTaskDefinition's `taskDefinition` for the service's task definition. */
  readonly taskDefinition: ApiItem | RecordedError | null;
  /** DescribeTaskDefinition's `tags` (asked with `include: TAGS`), when there are any. */
  readonly taskDefinitionTags?: readonly ApiItem[];
  /** DescribeTasks' items of the service's running tasks (`group` `service:<name>`). */
  readonly tasks: readonly ApiItem[];
  /** Why the service could not be described (DescribeServices' failure or error). */
  readonly error?: string;
}

/** Running tasks started outside a service, by task definition. */
export interface RecordedStandaloneTasks {
  readonly taskDefinition: ApiItem | RecordedError;
  readonly taskDefinitionTags?: readonly ApiItem[];
  readonly tasks: readonly ApiItem[];
}

export interface RecordedCluster {
  readonly clusterArn: string;
  readonly clusterName: string;
  /** What of the cluster could not be listed or described (its services or tasks may be incomplete). */
  readonly error?: string;
  readonly services: readonly RecordedService[];
  readonly standaloneTasks: readonly RecordedStandaloneTasks[];
}

/** `clearance/ecs-inventory/v1`: every cluster's services and running tasks in one account and region. */
export interface EcsInventoryRecording {
  readonly recording: typeof ECS_INVENTORY_RECORDING;
  readonly region: string;
  /** The account, as the cluster ARNs name it; null when there is no cluster. */
  readonly accountId: string | null;
  readonly capturedAt: string;
  readonly clusters: readonly RecordedCluster[];
}

/** A watched repository: DescribeRepositories' item, its policy and lifecycle policy (null: none set). */
export interface RecordedRepository {
  readonly repository: ApiItem;
  /** GetRepositoryPolicy's answer (`registryId`, `repositoryName`, `policyText`). */
  readonly policy: ApiItem | RecordedError | null;
  /** GetLifecyclePolicy's answer (`lifecyclePolicyText`, `lastEvaluatedAt`). */
  readonly lifecyclePolicy: ApiItem | RecordedError | null;
}

/** `clearance/ecr-registry/v1`: the registry's settings and the watched repositories'. */
export interface EcrRegistryRecording {
  readonly recording: typeof ECR_REGISTRY_RECORDING;
  readonly registryId: string | null;
  readonly region: string;
  readonly capturedAt: string;
  /** DescribeRegistry's answer (`registryId`, `replicationConfiguration`). */
  readonly describeRegistry: ApiItem | RecordedError;
  /** DescribePullThroughCacheRules' items. */
  readonly pullThroughCacheRules: readonly ApiItem[] | RecordedError;
  readonly repositories: readonly RecordedRepository[];
}

/** Collects the ECS inventory of the account and region (ListClusters … DescribeTasks). */
export interface EcsInventorySource {
  collect(): Promise<EcsInventoryRecording>;
}

/** Collects the registry's posture (DescribeRegistry … GetLifecyclePolicy). */
export interface RegistryPostureSource {
  collect(): Promise<EcrRegistryRecording>;
}

/** An SDK answer as JSON: dates to ISO text, `undefined` fields and `$metadata` dropped. */
export function apiItem(value: object): ApiItem {
  const { $metadata: _, ...rest } = value as Record<string, unknown>;
  return JSON.parse(JSON.stringify(rest)) as ApiItem;
}

/** Whether a recorded value is an error in its place. */
export function isRecordedError(value: unknown): value is RecordedError {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { error?: unknown }).error === 'string' &&
    Object.keys(value).length === 1
  );
}
