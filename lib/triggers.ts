import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledge } from './nag';

export interface DeadLettersProps {
  readonly key: kms.IKey;
}

/**
 * Events that could not be delivered (push events, ECS task state changes, schedules, and the
 * failures of start-scan and deployment-watch).
 */
export class DeadLetters extends Construct {
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: DeadLettersProps) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.queue,
      'Serverless-SQSRedrivePolicy',
      'This queue is the dead-letter queue: what lands here waits for a person (the DLQ-depth alarm calls one).',
    );
  }
}

export interface TriggersProps {
  /** Globs of the watched repositories (`*` is every one). */
  readonly repositories: readonly string[];
  /** Receives ECR push events (and starts ScanImage). */
  readonly startScan: lambda.IFunction;
  readonly fleetScan: sfn.IStateMachine;
  readonly sync: sfn.IStateMachine;
  /** EventBridge Scheduler expressions. */
  readonly fleetSchedule: string;
  readonly syncSchedule: string;
  readonly deadLetterQueue: sqs.IQueue;
  /**
   * With `securityHub` on, publish-findings: receives ECR's events of deleted images of the
   * watched repositories, and archives their findings.
   * @default - no rule
   */
  readonly archiveDeleted?: lambda.IFunction;
}

/** How long and how often EventBridge retries delivering one push event to start-scan. */
const MAX_EVENT_AGE = Duration.hours(2);
const RETRY_ATTEMPTS = 8;

/**
 * What starts the pipeline: every successful ECR push of a watched repository (EventBridge
 * rule → start-scan, which starts ScanImage at most once per repository+digest and window), the
 * nightly FleetScan and the periodic SyncVulnerabilityData (EventBridge Scheduler).
 */
export class Triggers extends Construct {
  readonly pushRule: events.Rule;
  /** With `securityHub` on: deleted images → publish-findings, which archives their findings. */
  readonly deleteRule?: events.Rule;

  constructor(scope: Construct, id: string, props: TriggersProps) {
    super(scope, id);
    this.pushRule = new events.Rule(this, 'EcrPush', {
      description: 'Clearance: scan every image pushed to a watched ECR repository',
      eventPattern: pushPattern(props.repositories),
    });
    this.pushRule.addTarget(
      new targets.LambdaFunction(props.startScan, {
        deadLetterQueue: props.deadLetterQueue,
        maxEventAge: MAX_EVENT_AGE,
        retryAttempts: RETRY_ATTEMPTS,
      }),
    );
    if (props.archiveDeleted !== undefined) {
      this.deleteRule = new events.Rule(this, 'EcrDelete', {
        description: 'Clearance: archive the Security Hub findings of an image deleted from ECR',
        eventPattern: imageActionPattern(props.repositories, 'DELETE'),
      });
      this.deleteRule.addTarget(
        new targets.LambdaFunction(props.archiveDeleted, {
          deadLetterQueue: props.deadLetterQueue,
          maxEventAge: MAX_EVENT_AGE,
          retryAttempts: RETRY_ATTEMPTS,
        }),
      );
    }
    this.schedule('FleetScanSchedule', props.fleetScan, props.fleetSchedule, props);
    this.schedule('SyncSchedule', props.sync, props.syncSchedule, props);
  }

  private schedule(
    id: string,
    machine: sfn.IStateMachine,
    expression: string,
    props: TriggersProps,
  ): scheduler.Schedule {
    return new scheduler.Schedule(this, id, {
      schedule: scheduler.ScheduleExpression.expression(expression),
      description: `Clearance: start ${id.replace(/Schedule$/, '')}`,
      target: new schedulerTargets.StepFunctionsStartExecution(machine, {
        input: scheduler.ScheduleTargetInput.fromObject({}),
        role: scheduleRole(this, `${id}Role`, props.deadLetterQueue),
        deadLetterQueue: props.deadLetterQueue,
        maxEventAge: MAX_EVENT_AGE,
        retryAttempts: RETRY_ATTEMPTS,
      }),
    });
  }
}

/**
 * The role a schedule's target runs with, trusted as CDK's own target roles are (Scheduler, for
 * this account's default schedule group). Scheduler also sends a start it gave up on to the
 * dead-letter queue with it: CDK's targets grant `sqs:SendMessage` only, and the queue is
 * encrypted with a customer-managed key, so the role gets that key's `kms:GenerateDataKey` and
 * `kms:Decrypt` here, or the failed start would be lost without a trace.
 */
export function scheduleRole(scope: Construct, id: string, deadLetterQueue: sqs.IQueue): iam.Role {
  const stack = Stack.of(scope);
  const role = new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: {
        StringEquals: {
          'aws:SourceAccount': stack.account,
          'aws:SourceArn': stack.formatArn({
            service: 'scheduler',
            resource: 'schedule-group',
            resourceName: 'default',
          }),
        },
      },
    }),
  });
  deadLetterQueue.encryptionMasterKey?.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
  return role;
}

/**
 * ECR's `ECR Image Action` events of successful pushes, of the watched repositories. The
 * rule's wildcard knows `*` only: a `?` of a glob becomes `*` here (start-scan filters exactly).
 */
export function pushPattern(repositories: readonly string[]): events.EventPattern {
  return imageActionPattern(repositories, 'PUSH');
}

/**
 * ECR's `ECR Image Action` events of one successful action (`PUSH`, `DELETE`), of the watched
 * repositories.
 */
export function imageActionPattern(
  repositories: readonly string[],
  action: 'PUSH' | 'DELETE',
): events.EventPattern {
  const all = repositories.includes('*');
  return {
    source: ['aws.ecr'],
    detailType: ['ECR Image Action'],
    detail: {
      'action-type': [action],
      result: ['SUCCESS'],
      ...(!all && {
        'repository-name': repositories.flatMap((glob) =>
          glob.includes('*') || glob.includes('?')
            ? events.Match.wildcard(glob.replaceAll('?', '*'))
            : [glob],
        ),
      }),
    },
  };
}
