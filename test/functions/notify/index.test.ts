import { FUNCTION_ENV, coldStart, without } from '../../support/cold-start';

describe('notify entry', () => {
  it('builds its handler at cold start from the environment', () => {
    expect(typeof coldStart('notify', FUNCTION_ENV).handler).toBe('function');
  });

  it.each([
    'CLEARANCE_BUCKET',
    'CLEARANCE_IDEMPOTENCY_TABLE',
    'CLEARANCE_ALERTS_TOPIC_ARN',
    'CLEARANCE_OPERATIONS_TOPIC_ARN',
  ])('fails at cold start without %s, naming it', (name) => {
    expect(() => coldStart('notify', without(FUNCTION_ENV, name))).toThrow(name);
  });
});
