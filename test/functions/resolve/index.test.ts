import { FUNCTION_ENV, coldStart, without } from '../../support/cold-start';

const ENV = {
  ...FUNCTION_ENV,
  CLEARANCE_VULNERABILITY_TABLE: 'clearance-vulnerabilities',
  CLEARANCE_POLICY: 'default',
};

describe('resolve entry', () => {
  it('builds its handler at cold start from the environment', () => {
    expect(typeof coldStart('resolve', ENV).handler).toBe('function');
  });

  it.each(['CLEARANCE_BUCKET', 'CLEARANCE_AUDIT_TABLE'])(
    'fails at cold start without %s, naming it',
    (name) => {
      expect(() => coldStart('resolve', without(ENV, name))).toThrow(name);
    },
  );
});
