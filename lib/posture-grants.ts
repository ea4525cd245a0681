import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { repositoryArn } from './ecr-grants';
import { acknowledge, acknowledgeWildcards } from './nag';
import type { PipelineFunction } from './pipeline-function';

/** What the posture run reads. */
export interface PostureAccess {
  /** The account's ECS clusters, services, task definitions and running tasks (this region). */
  readonly ecsInventory: boolean;
  /** The registry's settings and the watched repositories' settings and policies. */
  readonly registry: boolean;
  /** Globs of the watched repository names (`*` is every one). */
  readonly repositories: readonly string[];
}

/**
 * The posture run's read-only grants, as narrow as each action allows (the Service
 * Authorization Reference's resource types): ListTasks on the clusters of this account and
 * region (the `ecs:cluster` condition), DescribeServices and DescribeTasks on its services' and
 * tasks' ARNs, the ECR policy reads on the watched repositories. The actions without
 * resource-level permissions get `*`, acknowledged with why.
 */
export function postureGrants(fn: PipelineFunction, access: PostureAccess): void {
  if (access.ecsInventory) ecsGrants(fn);
  if (access.registry) registryGrants(fn, access.repositories);
  if (access.ecsInventory || access.registry)
    acknowledge(
      fn.role,
      'AwsSolutions-IAM5[Resource::*]',
      'Actions without resource-level permissions: ecs:ListClusters, ecs:ListServices, ecs:DescribeTaskDefinition, ecr:DescribeRegistry, ecr:DescribePullThroughCacheRules (all read-only), ecs:ListTasks limited to this account and region by ecs:cluster; X-Ray tracing has none either.',
    );
}

function ecsGrants(fn: PipelineFunction): void {
  const stack = Stack.of(fn);
  const ecs = (resource: string) =>
    stack.formatArn({ service: 'ecs', resource, resourceName: '*' });
  const grantee = fn.function;
  iam.Grant.addToPrincipal({
    grantee,
    actions: ['ecs:ListClusters', 'ecs:ListServices', 'ecs:DescribeTaskDefinition'],
    resourceArns: ['*'],
  });
  fn.function.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['ecs:ListTasks'],
      resources: ['*'],
      conditions: { ArnLike: { 'ecs:cluster': ecs('cluster') } },
    }),
  );
  const described = [ecs('service'), ecs('task')];
  iam.Grant.addToPrincipal({
    grantee,
    actions: ['ecs:DescribeServices', 'ecs:DescribeTasks'],
    resourceArns: described,
  });
  acknowledgeWildcards(
    fn.role,
    { resources: described },
    'Every ECS service and task of this account and region: the posture run reads them all (their ARNs name their cluster and are made by ECS).',
  );
}

function registryGrants(fn: PipelineFunction, repositories: readonly string[]): void {
  const grantee = fn.function;
  const watched = repositories.map((glob) => repositoryArn(fn, glob));
  const every = repositoryArn(fn, '*');
  iam.Grant.addToPrincipal({
    grantee,
    actions: ['ecr:DescribeRegistry', 'ecr:DescribePullThroughCacheRules'],
    resourceArns: ['*'],
  });
  // Listing repositories is one call over all of them; the globs filter its answer.
  iam.Grant.addToPrincipal({
    grantee,
    actions: ['ecr:DescribeRepositories'],
    resourceArns: [every],
  });
  iam.Grant.addToPrincipal({
    grantee,
    actions: ['ecr:GetRepositoryPolicy', 'ecr:GetLifecyclePolicy'],
    resourceArns: watched,
  });
  acknowledgeWildcards(
    fn.role,
    { resources: [...new Set([...watched, every])].filter((arn) => arn.includes('*')) },
    `The watched repositories, configured as globs of names (${repositories.join(', ')}).`,
  );
}
