import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { Clock } from '../../core';
import type { ExecutionStarter } from '../../pipeline';
import { AwsError, awsErrorName, awsRequestError } from '..';

export interface SfnExecutionStarterProps {
  /** Created once at module scope by the handler. */
  readonly client: SFNClient;
  /** `CLEARANCE_SCAN_STATE_MACHINE_ARN`. */
  readonly stateMachineArn: string;
  /**
   * The time a start is asked at, to tell a new execution from a running one StartExecution
   * answers with.
   * @default - the system clock
   */
  readonly now?: Clock;
}

/** Step Functions execution names as the pipeline makes them: up to 80 of `[A-Za-z0-9_-]`. */
const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;
/** Clock difference allowed between this function and Step Functions when comparing start times. */
const CLOCK_TOLERANCE_MS = 1000;

/**
 * The ExecutionStarter of the cloud pipeline: StartExecution of the ScanImage state machine
 * with the given name and the input as JSON. A second start of a name is not an error:
 * `ExecutionAlreadyExists` (the execution is closed, or its input differs) answers
 * `{started: false}`, and so does the success with which a Standard workflow answers a start
 * of the same name and input while that execution runs, recognised by a `startDate` before
 * this call.
 */
export class SfnExecutionStarter implements ExecutionStarter {
  private readonly now: Clock;

  constructor(private readonly props: SfnExecutionStarterProps) {
    this.now = props.now ?? (() => new Date());
  }

  async start(name: string, input: unknown): Promise<{ started: boolean }> {
    if (!EXECUTION_NAME.test(name))
      throw new AwsError(
        'INVALID_REQUEST',
        `expected an execution name of 1 to 80 of [A-Za-z0-9_-], got ${JSON.stringify(name)}`,
        'bug',
      );
    const askedAt = this.now().getTime();
    const command = new StartExecutionCommand({
      stateMachineArn: this.props.stateMachineArn,
      name,
      input: JSON.stringify(input),
    });
    try {
      const { startDate } = await this.props.client.send(command);
      const running = startDate !== undefined && startDate.getTime() < askedAt - CLOCK_TOLERANCE_MS;
      return { started: !running };
    } catch (error) {
      if (awsErrorName(error) === 'ExecutionAlreadyExists') return { started: false };
      throw awsRequestError(
        'Step Functions StartExecution',
        `${this.props.stateMachineArn} (execution ${name})`,
        error,
      );
    }
  }
}
