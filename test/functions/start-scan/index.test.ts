import { FUNCTION_ENV, coldStart, without } from '../../support/cold-start';

describe('start-scan entry', () => {
  it('builds its handler at cold start from the environment', () => {
    expect(typeof coldStart('start-scan', FUNCTION_ENV).handler).toBe('function');
  });

  it.each([
    'CLEARANCE_SCAN_STATE_MACHINE_ARN',
    'CLEARANCE_IMAGES_TABLE',
    'CLEARANCE_AUDIT_TABLE',
    'CLEARANCE_REPOSITORIES',
    'CLEARANCE_TRIGGER_WINDOW_SECONDS',
    'CLEARANCE_INDEX_WAIT_SECONDS',
  ])('fails at cold start without %s, naming it', (name) => {
    expect(() => coldStart('start-scan', without(FUNCTION_ENV, name))).toThrow(name);
  });

  it('fails at cold start on an index wait longer than an hour', () => {
    expect(() =>
      coldStart('start-scan', { ...FUNCTION_ENV, CLEARANCE_INDEX_WAIT_SECONDS: '7200' }),
    ).toThrow('CLEARANCE_INDEX_WAIT_SECONDS');
  });

  it('fails at cold start on a window that is not whole seconds', () => {
    expect(() =>
      coldStart('start-scan', { ...FUNCTION_ENV, CLEARANCE_TRIGGER_WINDOW_SECONDS: '5m' }),
    ).toThrow('CLEARANCE_TRIGGER_WINDOW_SECONDS');
  });
});
