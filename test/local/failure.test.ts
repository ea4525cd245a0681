import { PipelineError, stepErrorOf } from '../../shared/pipeline/errors';
import {
  causeText,
  failureLine,
  FailureWatch,
  type LocalFailure,
} from '../../shared/local/failure';
import type { EventLog } from '../../shared/local/event-log';

const MESSAGE = 'app@sha256:abc: layer sha256:def: cannot decompress: incorrect header check';

describe('causeText', () => {
  describe('when the cause is a Lambda error as Step Functions carries it', () => {
    it('is the error message, without the type and the stack trace', () => {
      const cause = JSON.stringify({
        errorType: 'Clearance.Input',
        errorMessage: `LAYER_UNREADABLE: ${MESSAGE}`,
        trace: ['Clearance.Input: LAYER_UNREADABLE', '    at analyzeLayerStep (…)'],
      });
      expect(causeText(cause)).toBe(`LAYER_UNREADABLE: ${MESSAGE}`);
    });
  });

  describe('when the cause is the error a handler threw, as the local executor hands it on', () => {
    it('is its code and message', () => {
      const thrown = new PipelineError('LAYER_UNREADABLE', MESSAGE, 'input');
      expect(causeText(thrown)).toBe(`LAYER_UNREADABLE: ${MESSAGE}`);
      expect(causeText(stepErrorOf(thrown))).toBe(`LAYER_UNREADABLE: ${MESSAGE}`);
    });
  });

  describe('when the cause is text', () => {
    it('is the text, credentials redacted', () => {
      expect(causeText('GET https://user:pw@registry.test/v2/ failed')).toBe(
        'GET https://***@registry.test/v2/ failed',
      );
    });
  });

  it('is empty when there is no cause', () => {
    expect(causeText(undefined)).toBe('');
  });
});

describe('failureLine', () => {
  it('says the code, the state, the error name and the message', () => {
    const failure: LocalFailure = {
      state: 'AnalyzeLayer',
      error: 'Clearance.Input',
      code: 'LAYER_UNREADABLE',
      message: MESSAGE,
    };
    expect(failureLine(failure)).toBe(
      `LAYER_UNREADABLE in AnalyzeLayer (Clearance.Input): ${MESSAGE}`,
    );
  });

  it('names the error once when it has no code of its own', () => {
    const failure: LocalFailure = {
      state: 'Match',
      error: 'Lambda.TooManyRequestsException',
      code: 'Lambda.TooManyRequestsException',
      message: 'Rate exceeded',
    };
    expect(failureLine(failure)).toBe('Lambda.TooManyRequestsException in Match: Rate exceeded');
  });
});

describe('FailureWatch', () => {
  const SCAN_FAILED = { Error: 'Clearance.ScanFailed', Cause: 'The scan failed; …' };
  const state = (name: string, type: string, input: unknown = {}) => ({ name, type, input });
  const failed = (name: string, type: string, cause: unknown): EventLog =>
    ({
      type: 'StateFailed',
      timestamp: 0,
      state: state(name, type),
      Error: 'Clearance.Input',
      Cause: cause,
    }) as EventLog;
  const thrown = new PipelineError('LAYER_UNREADABLE', MESSAGE, 'input');

  describe('when a Catch hands the error to RecordFailure', () => {
    it('is the caught error, from the innermost state that failed', () => {
      const watch = new FailureWatch();
      const caught = { Error: 'Clearance.Input', Cause: `LAYER_UNREADABLE: ${MESSAGE}` };
      for (const event of [
        failed('AnalyzeLayer', 'Task', thrown),
        failed('AnalyzeLayers', 'Map', thrown),
        failed('ScanPlatforms', 'Map', thrown),
        {
          type: 'StateEntered',
          timestamp: 0,
          state: state('RecordFailure', 'Task', { error: caught }),
        } as EventLog,
      ])
        watch.observe(event);

      expect(watch.failure(SCAN_FAILED)).toEqual({
        state: 'AnalyzeLayer',
        error: 'Clearance.Input',
        code: 'LAYER_UNREADABLE',
        message: MESSAGE,
      });
    });
  });

  describe('when nothing caught the error', () => {
    it('is the last state that failed', () => {
      const watch = new FailureWatch();
      watch.observe(failed('Resolve', 'Task', thrown));
      expect(watch.failure(SCAN_FAILED)).toMatchObject({
        state: 'Resolve',
        code: 'LAYER_UNREADABLE',
      });
    });
  });

  describe('when a state failed and its retry succeeded', () => {
    it('is the execution error, not the retried state', () => {
      const watch = new FailureWatch();
      watch.observe(failed('Match', 'Task', 'Rate exceeded'));
      watch.observe({
        type: 'StateRetried',
        timestamp: 0,
        state: state('Match', 'Task'),
        retry: { retrier: { ErrorEquals: ['Lambda.TooManyRequestsException'] }, attempt: 1 },
      } as EventLog);
      expect(watch.failure(SCAN_FAILED)).toEqual({
        state: 'the execution',
        error: 'Clearance.ScanFailed',
        code: 'Clearance.ScanFailed',
        message: 'The scan failed; …',
      });
    });
  });
});
