import { FUNCTION_ENV, coldStart, without } from '../../support/cold-start';

describe('fleet-summarize entry', () => {
  it('builds its handler at cold start from the environment', () => {
    expect(typeof coldStart('fleet-summarize', FUNCTION_ENV).handler).toBe('function');
  });

  it('needs no operations topic: the digest goes to alerts', () => {
    const env = without(FUNCTION_ENV, 'CLEARANCE_OPERATIONS_TOPIC_ARN');
    expect(typeof coldStart('fleet-summarize', env).handler).toBe('function');
  });

  it('checks secret hygiene when CLEARANCE_SECRET_HYGIENE is set (with the audit table)', () => {
    const env = { ...FUNCTION_ENV, CLEARANCE_SECRET_HYGIENE: '{"filter":{},"maxAgeDays":90}' };
    expect(typeof coldStart('fleet-summarize', env).handler).toBe('function');
    expect(() => coldStart('fleet-summarize', without(env, 'CLEARANCE_AUDIT_TABLE'))).toThrow(
      'CLEARANCE_AUDIT_TABLE',
    );
  });

  it('fails at cold start on a malformed CLEARANCE_SECRET_HYGIENE, naming it', () => {
    const env = { ...FUNCTION_ENV, CLEARANCE_SECRET_HYGIENE: '{"maxAgeDays":-1}' };
    expect(() => coldStart('fleet-summarize', env)).toThrow('CLEARANCE_SECRET_HYGIENE: maxAgeDays');
  });

  it.each(['CLEARANCE_BUCKET', 'CLEARANCE_ALERTS_TOPIC_ARN', 'CLEARANCE_IDEMPOTENCY_TABLE'])(
    'fails at cold start without %s, naming it',
    (name) => {
      expect(() => coldStart('fleet-summarize', without(FUNCTION_ENV, name))).toThrow(name);
    },
  );
});
