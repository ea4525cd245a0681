import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeWildcards } from './nag';
import type { PipelineFunction } from './pipeline-function';

export interface DeploymentWatchProps {
  /** The deployment-watch function (its tables and topic are granted by its needs). */
  readonly watch: PipelineFunction;
  /** Where deliveries EventBridge gave up on go. */
  readonly deadLetterQueue: sqs.IQueue;
  /**
   * `stop` grants the function `ecs:StopTask`; `alert` grants it no ECS action at all.
   * @default 'alert'
   */
  readonly enforcement?: 'alert' | 'stop';
  /**
   * Cluster-name globs where `stop` applies: anything but `*` puts an `ecs:cluster` condition
   * on the StopTask grant, naming those clusters' ARNs.
   * @default ['*'] - any cluster of the stack's account and region
   */
  readonly clusters?: readonly string[];
}

/** How long and how often EventBridge retries delivering one task event (as the push rule). */
const MAX_EVENT_AGE = Duration.hours(2);
const RETRY_ATTEMPTS = 8;

/**
 * The deployment audit trail and the runtime gate: every `ECS Task State Change` to RUNNING of
 * the account and region → the deployment-watch function (retried, then the dead-letter queue),
 * which records `image.deployed`, alerts on a failing or unknown image and, under `stop`, stops
 * the task with the only ECS permission the stack grants: StopTask on this account's tasks,
 * conditioned on the gated clusters when they are narrowed.
 */
export class DeploymentWatch extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: DeploymentWatchProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'TaskRunning', {
      description: 'Clearance: record which image every ECS task runs, and gate failing ones',
      eventPattern: taskRunningPattern(),
    });
    this.rule.addTarget(
      new targets.LambdaFunction(props.watch.function, {
        deadLetterQueue: props.deadLetterQueue,
        maxEventAge: MAX_EVENT_AGE,
        retryAttempts: RETRY_ATTEMPTS,
      }),
    );
    if ((props.enforcement ?? 'alert') === 'stop')
      grantStopTask(props.watch, props.clusters ?? ['*']);
  }
}

/** ECS's task state changes whose task reached RUNNING (its containers' digests are known then). */
export function taskRunningPattern(): events.EventPattern {
  return {
    source: ['aws.ecs'],
    detailType: ['ECS Task State Change'],
    detail: { lastStatus: ['RUNNING'] },
  };
}

/**
 * `ecs:StopTask` on the tasks of the stack's account and region (a task's ARN is made when it
 * starts, so it can only be named by pattern), with `ecs:cluster` conditioned on the gated
 * clusters' ARNs unless every cluster is gated. StopTask supports that condition key
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html).
 */
function grantStopTask(watch: PipelineFunction, clusters: readonly string[]): void {
  const stack = Stack.of(watch);
  const tasks = stack.formatArn({ service: 'ecs', resource: 'task', resourceName: '*' });
  const narrowed = !clusters.includes('*');
  watch.role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['ecs:StopTask'],
      resources: [tasks],
      ...(narrowed && {
        conditions: {
          ArnLike: {
            'ecs:cluster': clusters.map((glob) =>
              stack.formatArn({ service: 'ecs', resource: 'cluster', resourceName: glob }),
            ),
          },
        },
      }),
    }),
  );
  acknowledgeWildcards(
    watch.role,
    { resources: [tasks] },
    narrowed
      ? 'Task ARNs are made when tasks start; the ecs:cluster condition names the gated clusters.'
      : 'Task ARNs are made when tasks start; runtimeClusters gates every cluster of the account and region.',
  );
}
