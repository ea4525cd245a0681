import { FUNCTION_ENV, coldStart, without } from '../../support/cold-start';

describe('deployment-watch entry', () => {
  it('builds its handler at cold start from the environment, the gate at its defaults', () => {
    expect(typeof coldStart('deployment-watch', FUNCTION_ENV).handler).toBe('function');
  });

  it('builds its handler with a stop gate, narrowed clusters and exceptions', () => {
    const env = {
      ...FUNCTION_ENV,
      CLEARANCE_RUNTIME_ENFORCEMENT: 'stop',
      CLEARANCE_RUNTIME_CLUSTERS: 'prod-*,payments',
      CLEARANCE_RUNTIME_EXCEPTIONS:
        '[{"id":"x","clusters":["batch"],"owner":"o","reason":"r","expires":"2099-01-01"}]',
    };
    expect(typeof coldStart('deployment-watch', env).handler).toBe('function');
  });

  it.each([
    'CLEARANCE_IMAGES_TABLE',
    'CLEARANCE_AUDIT_TABLE',
    'CLEARANCE_IDEMPOTENCY_TABLE',
    'CLEARANCE_ALERTS_TOPIC_ARN',
  ])('fails at cold start without %s, naming it', (name) => {
    expect(() => coldStart('deployment-watch', without(FUNCTION_ENV, name))).toThrow(name);
  });

  it.each([
    ['CLEARANCE_RUNTIME_ENFORCEMENT', 'block', 'expected alert or stop'],
    ['CLEARANCE_RUNTIME_EXCEPTIONS', '[{"id":"x"}]', 'CLEARANCE_RUNTIME_EXCEPTIONS: 0.'],
  ])('fails at cold start when %s is wrong, naming it', (name, value, message) => {
    expect(() => coldStart('deployment-watch', { ...FUNCTION_ENV, [name]: value })).toThrow(
      message,
    );
  });
});
