import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { STEP_ERROR } from '../shared/pipeline';
import { acknowledgeWildcards } from './nag';

/**
 * The Lambda service's own errors, throttling included. CDK's LambdaInvoke retries the first
 * three by itself but not `Lambda.TooManyRequestsException`, so its retry is turned off and
 * this one, with jitter, is written out on every task.
 */
export const LAMBDA_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

/**
 * Retried: the Lambda service's errors, and ours that a step classes as transient. On tasks
 * only: a Map retrying too would re-run its iterations, each task with all its retries again.
 */
export function addStepRetries(state: sfn.TaskStateBase): void {
  state.addRetry({
    errors: LAMBDA_ERRORS,
    interval: Duration.seconds(2),
    backoffRate: 2,
    maxAttempts: 6,
    jitterStrategy: sfn.JitterType.FULL,
  });
  state.addRetry({
    errors: [STEP_ERROR.transient],
    interval: Duration.seconds(5),
    backoffRate: 2,
    maxAttempts: 4,
    jitterStrategy: sfn.JitterType.FULL,
  });
}

export interface InvokeProps {
  /** The `Parameters` (JSONPath: `sfn.JsonPath.*At`). @default - the state's input */
  readonly payload?: Record<string, unknown>;
  /**
   * @default - the step's result replaces the state (no ResultPath written: aws-local-stepfunctions
   * reads an explicit `$` as a key named `$`)
   */
  readonly resultPath?: string;
}

/**
 * A Lambda task as the local runner and the contract expect it: `Resource` is the function's
 * ARN (`payloadResponseOnly`), so the state's result is the handler's return value; retries as
 * in `addStepRetries`.
 */
export function invoke(
  scope: Construct,
  id: string,
  fn: lambda.IFunction,
  props: InvokeProps = {},
): tasks.LambdaInvoke {
  const task = new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    payload: props.payload && sfn.TaskInput.fromObject(props.payload),
    ...(props.resultPath !== undefined && { resultPath: props.resultPath }),
  });
  addStepRetries(task);
  return task;
}

/** Acknowledges the `<function ARN>:*` that CDK's invoke grant adds (versions and aliases). */
export function acknowledgeInvokeGrants(
  machine: sfn.StateMachine,
  functions: readonly lambda.IFunction[],
): void {
  acknowledgeWildcards(
    machine.role,
    { resources: functions.map((fn) => `${fn.functionArn}:*`) },
    "CDK's Lambda invoke grant names the function and its versions (`ARN:*`); only this state machine's own functions.",
  );
}
