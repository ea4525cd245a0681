import {
  ExecutionAlreadyExists,
  ExecutionLimitExceeded,
  SFNClient,
  SFNServiceException,
  StartExecutionCommand,
  StateMachineDoesNotExist,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsError } from '../../../shared/aws/errors';
import { SfnExecutionStarter } from '../../../shared/aws/sfn/execution-starter';

const sfn = mockClient(SFNClient);
const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:ScanImage';
const NAME = 'payments-api-1a2b3c4d-0123456789abcdef-2948';
const INPUT = {
  image: {
    registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    repository: 'payments/api',
    digest: `sha256:${'a'.repeat(64)}`,
  },
  trigger: {
    type: 'push',
    id: NAME,
    actor: 'aws.ecr:123456789012',
    time: '2026-11-29T10:00:00.000Z',
  },
};
const NOW = new Date('2026-11-29T10:00:05.000Z');
const metadata = { $metadata: { httpStatusCode: 400 } };

describe('SfnExecutionStarter', () => {
  const starter = () =>
    new SfnExecutionStarter({
      client: new SFNClient({ region: 'eu-west-1' }),
      stateMachineArn: STATE_MACHINE,
      now: () => NOW,
    });

  beforeEach(() => {
    sfn.reset();
  });

  describe('when the name is new', () => {
    it('starts an execution with the name and the input as JSON', async () => {
      sfn.on(StartExecutionCommand).resolves({
        executionArn: `${STATE_MACHINE.replace('stateMachine', 'execution')}:${NAME}`,
        startDate: NOW,
      });
      expect(await starter().start(NAME, INPUT)).toEqual({ started: true });
      expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input)).toEqual([
        { stateMachineArn: STATE_MACHINE, name: NAME, input: JSON.stringify(INPUT) },
      ]);
    });
  });

  describe('when an execution of the name exists', () => {
    it('answers started: false on ExecutionAlreadyExists', async () => {
      sfn.on(StartExecutionCommand).rejects(
        new ExecutionAlreadyExists({
          ...metadata,
          message: `Execution Already Exists: '${NAME}'`,
        }),
      );
      expect(await starter().start(NAME, INPUT)).toEqual({ started: false });
    });

    it('answers started: false when the running execution of the same input is returned', async () => {
      sfn.on(StartExecutionCommand).resolves({
        executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:ScanImage:x',
        startDate: new Date(NOW.getTime() - 60_000),
      });
      expect(await starter().start(NAME, INPUT)).toEqual({ started: false });
    });
  });

  describe('failures', () => {
    it('fails as transient when Step Functions throttles', async () => {
      sfn.on(StartExecutionCommand).rejects(
        new SFNServiceException({
          name: 'ThrottlingException',
          $fault: 'client',
          ...metadata,
          message: 'Rate exceeded',
        }),
      );
      const error = await starter()
        .start(NAME, INPUT)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AwsError);
      expect(error).toMatchObject({
        code: 'AWS_REQUEST_FAILED',
        kind: 'transient',
        message: `Step Functions StartExecution on ${STATE_MACHINE} (execution ${NAME}) failed: ThrottlingException (HTTP 400): Rate exceeded`,
      });
    });

    it('fails as transient when too many executions are open', async () => {
      sfn
        .on(StartExecutionCommand)
        .rejects(new ExecutionLimitExceeded({ ...metadata, message: 'limit' }));
      await expect(starter().start(NAME, INPUT)).rejects.toMatchObject({ kind: 'transient' });
    });

    it('fails as input when the state machine does not exist', async () => {
      sfn
        .on(StartExecutionCommand)
        .rejects(new StateMachineDoesNotExist({ ...metadata, message: 'gone' }));
      await expect(starter().start(NAME, INPUT)).rejects.toMatchObject({ kind: 'input' });
    });

    it.each(['', 'a'.repeat(81), 'payments/api', 'naïve'])(
      'fails as a bug, starting nothing, for the name %j',
      async (name) => {
        await expect(starter().start(name, INPUT)).rejects.toMatchObject({
          code: 'INVALID_REQUEST',
          kind: 'bug',
        });
        expect(sfn.calls()).toHaveLength(0);
      },
    );
  });
});
