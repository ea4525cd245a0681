import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { acknowledge } from './nag';
import { acknowledgeInvokeGrants } from './tasks';

export interface WorkflowProps {
  readonly definition: sfn.IChainable;
  /** Encrypts the execution log group. */
  readonly logKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /** The functions its tasks invoke (their invoke grants are acknowledged). */
  readonly functions: readonly lambda.IFunction[];
  readonly comment: string;
}

/**
 * A Standard state machine (JSONPath) that logs every event, with execution data, to its own
 * encrypted log group, and traces with X-Ray.
 */
export function standardWorkflow(
  scope: Construct,
  id: string,
  props: WorkflowProps,
): sfn.StateMachine {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    encryptionKey: props.logKey,
    retention: props.logRetention,
  });
  const machine = new sfn.StateMachine(scope, id, {
    stateMachineType: sfn.StateMachineType.STANDARD,
    definitionBody: sfn.DefinitionBody.fromChainable(props.definition),
    comment: props.comment,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    tracingEnabled: true,
  });
  acknowledge(
    machine.role,
    'AwsSolutions-IAM5[Resource::*]',
    'Log delivery to CloudWatch Logs (logs:CreateLogDelivery and the rest) and X-Ray (xray:PutTraceSegments and the rest) have no resource-level permissions.',
  );
  acknowledgeInvokeGrants(machine, props.functions);
  return machine;
}
