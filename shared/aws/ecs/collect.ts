import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  paginateListClusters,
  paginateListServices,
  paginateListTasks,
  type ECSClient,
  type Task,
} from '@aws-sdk/client-ecs';
import type { Clock } from '../../core';
import {
  ECS_INVENTORY_RECORDING,
  apiItem,
  type ApiItem,
  type EcsInventoryRecording,
  type EcsInventorySource,
  type RecordedCluster,
  type RecordedError,
  type RecordedService,
  type RecordedStandaloneTasks,
} from '../../posture-run';
import { awsRequestError } from '..';

/** DescribeServices takes at most 10 services a call. */
const SERVICES_PER_CALL = 10;
/** DescribeTasks takes at most 100 tasks a call. */
const TASKS_PER_CALL = 100;
/** A running task started by a service is in group `service:<service name>`. */
const SERVICE_GROUP = 'service:';

export interface EcsInventoryCollectorProps {
  /** Created once at module scope by the handler; its region is the inventory's. */
  readonly client: ECSClient;
  /** @default - the system clock */
  readonly clock?: Clock;
}

/** A task definition as recorded: the definition and its tags, or what failed. */
interface RecordedDefinition {
  readonly taskDefinition: ApiItem | RecordedError;
  readonly tags: readonly ApiItem[];
}

/**
 * The ECS inventory of the client's account and region (`clearance/ecs-inventory/v1`): every
 * cluster (ListClusters), its services (ListServices, DescribeServices 10 at a time), each
 * service's task definition (DescribeTaskDefinition with its tags, asked once per ARN: services
 * share them), and its running tasks (ListTasks RUNNING, DescribeTasks 100 at a time) with the
 * digest each container runs. Running tasks outside a service are recorded by task definition.
 * The SDK retries throttling; a call that still fails is recorded where it failed, and the rest
 * of the inventory is kept. Only ListClusters failing fails the whole collection.
 */
export class EcsInventoryCollector implements EcsInventorySource {
  constructor(private readonly props: EcsInventoryCollectorProps) {}

  async collect(): Promise<EcsInventoryRecording> {
    const region = await this.props.client.config.region();
    const capturedAt = (this.props.clock ?? (() => new Date()))().toISOString();
    const clusterArns = await this.clusterArns(region);
    const definitions = new Map<string, Promise<RecordedDefinition>>();
    const clusters: RecordedCluster[] = [];
    for (const arn of clusterArns) clusters.push(await this.cluster(arn, definitions));
    return {
      recording: ECS_INVENTORY_RECORDING,
      region,
      accountId: clusterArns.length > 0 ? accountOf(clusterArns[0]!) : null,
      capturedAt,
      clusters,
    };
  }

  private async clusterArns(region: string): Promise<string[]> {
    const arns: string[] = [];
    try {
      for await (const page of paginateListClusters({ client: this.props.client }, {}))
        arns.push(...(page.clusterArns ?? []));
    } catch (error) {
      throw awsRequestError('ECS ListClusters', region, error);
    }
    return arns.sort();
  }

  /** One cluster: its services and running tasks, each failure noted in `error`. */
  private async cluster(
    clusterArn: string,
    definitions: Map<string, Promise<RecordedDefinition>>,
  ): Promise<RecordedCluster> {
    const errors: string[] = [];
    const definition = (arn: string) => this.definition(arn, definitions);
    const serviceArns = await this.listed(errors, 'ECS ListServices', clusterArn, () =>
      this.listServices(clusterArn),
    );
    const tasks = await this.listed(errors, 'ECS ListTasks', clusterArn, () =>
      this.runningTasks(clusterArn, errors),
    );
    const services = await this.services(clusterArn, serviceArns, errors);
    const byService = groupBy(tasks, (t) => t.group ?? '');
    const recordedServices: RecordedService[] = [];
    for (const service of services) {
      const name =
        typeof service.service.serviceName === 'string' ? service.service.serviceName : '';
      const arn = service.service.taskDefinition;
      const recorded = typeof arn === 'string' ? await definition(arn) : undefined;
      recordedServices.push({
        service: service.service,
        taskDefinition: recorded?.taskDefinition ?? null,
        ...(recorded !== undefined &&
          recorded.tags.length > 0 && { taskDefinitionTags: recorded.tags }),
        tasks: (byService.get(`${SERVICE_GROUP}${name}`) ?? []).map(apiItem),
        ...(service.error !== undefined && { error: service.error }),
      });
    }
    const standalone = tasks.filter((t) => !(t.group ?? '').startsWith(SERVICE_GROUP));
    const standaloneTasks: RecordedStandaloneTasks[] = [];
    for (const [arn, group] of groupBy(standalone, (t) => t.taskDefinitionArn ?? '')) {
      const recorded = await definition(arn);
      standaloneTasks.push({
        taskDefinition: recorded.taskDefinition,
        ...(recorded.tags.length > 0 && { taskDefinitionTags: recorded.tags }),
        tasks: group.map(apiItem),
      });
    }
    return {
      clusterArn,
      clusterName: clusterArn.split('/').pop() ?? clusterArn,
      ...(errors.length > 0 && { error: errors.join('; ') }),
      services: recordedServices,
      standaloneTasks,
    };
  }

  /** What `list` lists, or nothing with its failure noted. */
  private async listed<T>(
    errors: string[],
    call: string,
    clusterArn: string,
    list: () => Promise<T[]>,
  ): Promise<T[]> {
    try {
      return await list();
    } catch (error) {
      errors.push(awsRequestError(call, clusterArn, error).message);
      return [];
    }
  }

  private async listServices(cluster: string): Promise<string[]> {
    const arns: string[] = [];
    for await (const page of paginateListServices({ client: this.props.client }, { cluster }))
      arns.push(...(page.serviceArns ?? []));
    return arns.sort();
  }

  /** The cluster's running tasks, described 100 at a time; a failed batch is noted and skipped. */
  private async runningTasks(cluster: string, errors: string[]): Promise<Task[]> {
    const arns: string[] = [];
    const pages = paginateListTasks(
      { client: this.props.client },
      { cluster, desiredStatus: 'RUNNING' },
    );
    for await (const page of pages) arns.push(...(page.taskArns ?? []));
    const tasks: Task[] = [];
    for (const batch of chunks(arns.sort(), TASKS_PER_CALL)) {
      try {
        const answer = await this.props.client.send(
          new DescribeTasksCommand({ cluster, tasks: batch }),
        );
        tasks.push(...(answer.tasks ?? []));
        for (const f of answer.failures ?? [])
          errors.push(`ECS DescribeTasks on ${f.arn ?? cluster}: ${f.reason ?? 'failed'}`);
      } catch (error) {
        errors.push(awsRequestError('ECS DescribeTasks', cluster, error).message);
      }
    }
    return tasks.sort((a, b) => compare(a.taskArn ?? '', b.taskArn ?? ''));
  }

  /** The services described 10 at a time; one that could not be is kept with its error. */
  private async services(
    cluster: string,
    arns: readonly string[],
    errors: string[],
  ): Promise<{ service: ApiItem; error?: string }[]> {
    const described: { service: ApiItem; error?: string }[] = [];
    for (const batch of chunks(arns, SERVICES_PER_CALL)) {
      try {
        const answer = await this.props.client.send(
          new DescribeServicesCommand({ cluster, services: batch }),
        );
        described.push(...(answer.services ?? []).map((s) => ({ service: apiItem(s) })));
        for (const f of answer.failures ?? [])
          described.push({
            service: { serviceArn: f.arn ?? null },
            error: `ECS DescribeServices on ${f.arn ?? cluster}: ${f.reason ?? 'failed'}${f.detail === undefined ? '' : ` (${f.detail})`}`,
          });
      } catch (error) {
        const message = awsRequestError('ECS DescribeServices', cluster, error).message;
        errors.push(message);
        described.push(...batch.map((serviceArn) => ({ service: { serviceArn }, error: message })));
      }
    }
    const arnOf = (s: { service: ApiItem }) =>
      typeof s.service.serviceArn === 'string' ? s.service.serviceArn : '';
    return described.sort((a, b) => compare(arnOf(a), arnOf(b)));
  }

  /** A task definition with its tags, asked once per ARN for the whole inventory. */
  private definition(
    arn: string,
    cache: Map<string, Promise<RecordedDefinition>>,
  ): Promise<RecordedDefinition> {
    let recorded = cache.get(arn);
    if (recorded === undefined) {
      recorded = this.describeDefinition(arn);
      cache.set(arn, recorded);
    }
    return recorded;
  }

  private async describeDefinition(arn: string): Promise<RecordedDefinition> {
    try {
      const answer = await this.props.client.send(
        new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }),
      );
      if (answer.taskDefinition === undefined)
        return {
          taskDefinition: {
            error: `ECS DescribeTaskDefinition on ${arn}: no task definition in the answer`,
          },
          tags: [],
        };
      return {
        taskDefinition: apiItem(answer.taskDefinition),
        tags: (answer.tags ?? []).map(apiItem),
      };
    } catch (error) {
      return {
        taskDefinition: {
          error: awsRequestError('ECS DescribeTaskDefinition', arn, error).message,
        },
        tags: [],
      };
    }
  }
}

/** The account an ECS ARN names (`arn:aws:ecs:<region>:<account>:cluster/<name>`). */
function accountOf(arn: string): string | null {
  return arn.split(':')[4] || null;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return new Map([...groups.entries()].sort(([a], [b]) => compare(a, b)));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
