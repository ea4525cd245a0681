import { FUNCTION_ENV, coldStart, without } from '../../support/cold-start';

describe('quarantine entry', () => {
  it('builds its handler at cold start from the environment', () => {
    expect(typeof coldStart('quarantine', FUNCTION_ENV).handler).toBe('function');
  });

  it.each([
    'CLEARANCE_IMAGES_TABLE',
    'CLEARANCE_AUDIT_TABLE',
    'CLEARANCE_QUARANTINE',
    'CLEARANCE_TRIGGER_WINDOW_SECONDS',
  ])('fails at cold start without %s, naming it', (name) => {
    expect(() => coldStart('quarantine', without(FUNCTION_ENV, name))).toThrow(name);
  });
});

describe('quarantine entry settings', () => {
  it('fails at cold start on an unknown mode', () => {
    expect(() =>
      coldStart('quarantine', { ...FUNCTION_ENV, CLEARANCE_QUARANTINE: 'delete' }),
    ).toThrow('CLEARANCE_QUARANTINE');
  });
});
