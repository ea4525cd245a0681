import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeWildcards } from './nag';
import { scheduleRole } from './triggers';

/** How anchors are locked (S3 Object Lock retention modes). */
export type AnchorLockMode = 'COMPLIANCE' | 'GOVERNANCE';

export interface AuditAnchorsProps {
  /** Encrypts the anchors: the stack's key. */
  readonly key: kms.IKey;
  /** Where S3 server access logs of the bucket go (under `audit-anchors/`). */
  readonly accessLogs: s3.IBucket;
  /** How long each anchor is locked against deletion and overwrite, in days. */
  readonly retentionDays: number;
  /**
   * `COMPLIANCE`: nobody, the account's root included, can delete or overwrite an anchor before
   * its retention ends. `GOVERNANCE`: principals granted `s3:BypassGovernanceRetention` can.
   */
  readonly mode: AnchorLockMode;
}

export interface AnchorScheduleProps {
  /** The audit-anchor function. */
  readonly anchor: lambda.IFunction;
  /** EventBridge Scheduler expression. */
  readonly schedule: string;
  /** Where invocations that could not be delivered go. */
  readonly deadLetterQueue: sqs.IQueue;
}

/** How long and how often Scheduler retries one invocation: the next one comes within the hour. */
const MAX_EVENT_AGE = Duration.hours(1);
const RETRY_ATTEMPTS = 8;

/**
 * Where the audit chain's head is anchored: a bucket under S3 Object Lock (versioned, as Object
 * Lock requires), with a default retention applied to every new object, so that rewriting the
 * audit table after an anchor is found by `clearance audit verify`. Encrypted with the stack's
 * key, TLS only, private, access-logged, retained with the stack's deletion. Its schedule runs
 * the audit-anchor function (hourly by default).
 */
export class AuditAnchors extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AuditAnchorsProps) {
    super(scope, id);
    const retention = Duration.days(props.retentionDays);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      objectLockEnabled: true,
      objectLockDefaultRetention:
        props.mode === 'COMPLIANCE'
          ? s3.ObjectLockRetention.compliance(retention)
          : s3.ObjectLockRetention.governance(retention),
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'audit-anchors/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** Invokes the anchor function on `schedule`. */
  schedule(props: AnchorScheduleProps): scheduler.Schedule {
    const role = scheduleRole(this, 'ScheduleRole', props.deadLetterQueue);
    acknowledgeWildcards(
      role,
      { resources: [`${props.anchor.functionArn}:*`] },
      "CDK's grantInvoke for the anchor schedule names the function's versions and aliases.",
    );
    return new scheduler.Schedule(this, 'Schedule', {
      schedule: scheduler.ScheduleExpression.expression(props.schedule),
      description: 'Clearance: anchor the audit chain head in the Object Lock bucket',
      target: new schedulerTargets.LambdaInvoke(props.anchor, {
        input: scheduler.ScheduleTargetInput.fromObject({}),
        role,
        deadLetterQueue: props.deadLetterQueue,
        maxEventAge: MAX_EVENT_AGE,
        retryAttempts: RETRY_ATTEMPTS,
      }),
    });
  }
}
