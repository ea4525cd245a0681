import { LocalExecutionStarter } from '../../shared/local/execution-starter';

describe('LocalExecutionStarter', () => {
  it('runs an execution once per name, with its input', async () => {
    const runs: [string, unknown][] = [];
    const starter = new LocalExecutionStarter((name, input) => {
      runs.push([name, input]);
      return Promise.resolve({ done: name });
    });
    expect(await starter.start('a', { n: 1 })).toEqual({ started: true });
    expect(await starter.start('a', { n: 2 })).toEqual({ started: false });
    expect(await starter.start('b', { n: 3 })).toEqual({ started: true });
    expect(runs).toEqual([
      ['a', { n: 1 }],
      ['b', { n: 3 }],
    ]);
    expect(starter.names()).toEqual(['a', 'b']);
    expect(await starter.outcome('a')).toEqual({ status: 'succeeded', output: { done: 'a' } });
  });

  describe('when the same name is started while it runs', () => {
    it('is a duplicate', async () => {
      let finish = () => {};
      const starter = new LocalExecutionStarter(
        () => new Promise<void>((resolve) => (finish = resolve)),
      );
      const first = starter.start('a', {});
      expect(await starter.start('a', {})).toEqual({ started: false });
      finish();
      expect(await first).toEqual({ started: true });
    });
  });

  describe('when the execution fails', () => {
    it('keeps the failure as its outcome: the start itself succeeded', async () => {
      const error = new Error('States.TaskFailed');
      const starter = new LocalExecutionStarter(() => Promise.reject(error));
      expect(await starter.start('a', {})).toEqual({ started: true });
      expect(await starter.outcome('a')).toEqual({ status: 'failed', error });
      expect(starter.outcome('never')).toBeUndefined();
    });
  });
});
