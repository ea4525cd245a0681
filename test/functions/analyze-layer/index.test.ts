import { FUNCTION_ENV, coldStart, without } from '../../support/cold-start';

const ENV = {
  ...FUNCTION_ENV,
  CLEARANCE_VULNERABILITY_TABLE: 'clearance-vulnerabilities',
  CLEARANCE_POLICY: 'default',
};

describe('analyze-layer entry', () => {
  it('builds its handler at cold start from the environment', () => {
    expect(typeof coldStart('analyze-layer', ENV).handler).toBe('function');
  });

  it.each(['CLEARANCE_BUCKET'])('fails at cold start without %s, naming it', (name) => {
    expect(() => coldStart('analyze-layer', without(ENV, name))).toThrow(name);
  });
});
