import {
  DescribeRegistryCommand,
  GetLifecyclePolicyCommand,
  GetRepositoryPolicyCommand,
  paginateDescribePullThroughCacheRules,
  paginateDescribeRepositories,
  type ECRClient,
  type Repository,
} from '@aws-sdk/client-ecr';
import type { Clock } from '../../core';
import { repositoryFilter } from '../../fleet';
import {
  ECR_REGISTRY_RECORDING,
  apiItem,
  type ApiItem,
  type EcrRegistryRecording,
  type RecordedError,
  type RecordedRepository,
  type RegistryPostureSource,
} from '../../posture-run';
import { awsErrorName, awsRequestError } from '..';

export interface EcrRegistryPostureCollectorProps {
  /** Created once at module scope by the handler; its region is the registry's. */
  readonly client: ECRClient;
  /** Repository globs (`CLEARANCE_REPOSITORIES`); `["*"]` watches all. */
  readonly repositories: readonly string[];
  /**
   * The registry (account id) to read.
   * @default - the account of the client's credentials
   */
  readonly registryId?: string;
  /** @default - the system clock */
  readonly clock?: Clock;
}

/**
 * The registry's posture as ECR answers (`clearance/ecr-registry/v1`): its replication rules
 * (DescribeRegistry), its pull-through cache rules, and for each watched repository
 * (DescribeRepositories, filtered by the globs) its settings, policy (GetRepositoryPolicy) and
 * lifecycle policy (GetLifecyclePolicy). A policy that is not set is recorded as null; any other
 * failure as `{ error }` in its place, the rest kept. Only DescribeRepositories failing fails
 * the collection.
 */
export class EcrRegistryPostureCollector implements RegistryPostureSource {
  private readonly watched: (repository: string) => boolean;

  constructor(private readonly props: EcrRegistryPostureCollectorProps) {
    this.watched = repositoryFilter(props.repositories);
  }

  async collect(): Promise<EcrRegistryRecording> {
    const region = await this.props.client.config.region();
    const capturedAt = (this.props.clock ?? (() => new Date()))().toISOString();
    const describeRegistry = await this.recorded('ECR DescribeRegistry', async () =>
      apiItem(await this.props.client.send(new DescribeRegistryCommand({}))),
    );
    const pullThroughCacheRules = await this.recorded('ECR DescribePullThroughCacheRules', () =>
      this.cacheRules(),
    );
    const repositories: RecordedRepository[] = [];
    for (const repository of await this.repositories())
      repositories.push(await this.posture(repository));
    return {
      recording: ECR_REGISTRY_RECORDING,
      registryId: this.registryIdOf(describeRegistry, repositories),
      region,
      capturedAt,
      describeRegistry,
      pullThroughCacheRules,
      repositories,
    };
  }

  /** The watched repositories, sorted by name. */
  private async repositories(): Promise<Repository[]> {
    const found: Repository[] = [];
    try {
      for await (const page of paginateDescribeRepositories(
        { client: this.props.client },
        this.registry(),
      ))
        for (const repository of page.repositories ?? [])
          if (repository.repositoryName !== undefined && this.watched(repository.repositoryName))
            found.push(repository);
    } catch (error) {
      throw awsRequestError('ECR DescribeRepositories', this.registryName(), error);
    }
    return found.sort((a, b) => (a.repositoryName! < b.repositoryName! ? -1 : 1));
  }

  private async cacheRules(): Promise<ApiItem[]> {
    const rules: ApiItem[] = [];
    const pages = paginateDescribePullThroughCacheRules(
      { client: this.props.client },
      this.registry(),
    );
    for await (const page of pages) rules.push(...(page.pullThroughCacheRules ?? []).map(apiItem));
    return rules;
  }

  private async posture(repository: Repository): Promise<RecordedRepository> {
    const repositoryName = repository.repositoryName!;
    const request = { repositoryName, ...this.registry() };
    const policy = await this.recorded(
      'ECR GetRepositoryPolicy',
      async () => apiItem(await this.props.client.send(new GetRepositoryPolicyCommand(request))),
      'RepositoryPolicyNotFoundException',
      repositoryName,
    );
    const lifecyclePolicy = await this.recorded(
      'ECR GetLifecyclePolicy',
      async () => apiItem(await this.props.client.send(new GetLifecyclePolicyCommand(request))),
      'LifecyclePolicyNotFoundException',
      repositoryName,
    );
    return { repository: apiItem(repository), policy, lifecyclePolicy };
  }

  /**
   * What `read` answers; null when it fails with `notFound` (nothing set), the failure as
   * `{ error }` otherwise.
   */
  private async recorded<T>(call: string, read: () => Promise<T>): Promise<T | RecordedError>;
  private async recorded<T>(
    call: string,
    read: () => Promise<T>,
    notFound: string,
    target: string,
  ): Promise<T | RecordedError | null>;
  private async recorded<T>(
    call: string,
    read: () => Promise<T>,
    notFound?: string,
    target?: string,
  ): Promise<T | RecordedError | null> {
    try {
      return await read();
    } catch (error) {
      if (notFound !== undefined && awsErrorName(error) === notFound) return null;
      return { error: awsRequestError(call, target ?? this.registryName(), error).message };
    }
  }

  private registry(): { registryId?: string } {
    return this.props.registryId === undefined ? {} : { registryId: this.props.registryId };
  }

  private registryName(): string {
    return `registry ${this.props.registryId ?? 'of the caller'}`;
  }

  /** The registry's id: as configured, as DescribeRegistry answered, or as a repository names it. */
  private registryIdOf(
    describeRegistry: ApiItem | RecordedError,
    repositories: readonly RecordedRepository[],
  ): string | null {
    const candidates = [
      this.props.registryId,
      (describeRegistry as { registryId?: unknown }).registryId,
      repositories[0]?.repository.registryId,
    ];
    return candidates.find((c): c is string => typeof c === 'string') ?? null;
  }
}
