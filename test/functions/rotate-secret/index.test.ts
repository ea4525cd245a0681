import { FUNCTION_ENV, coldStart, without } from '../../support/cold-start';

describe('rotate-secret entry', () => {
  it('builds its handler at cold start from the environment', () => {
    expect(typeof coldStart('rotate-secret', FUNCTION_ENV).handler).toBe('function');
  });

  it.each(['CLEARANCE_BUCKET', 'CLEARANCE_AUDIT_TABLE'])(
    'fails at cold start without %s, naming it',
    (name) => {
      expect(() => coldStart('rotate-secret', without(FUNCTION_ENV, name))).toThrow(name);
    },
  );
});
