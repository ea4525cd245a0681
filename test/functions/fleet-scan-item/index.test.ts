import { FUNCTION_ENV, coldStart, without } from '../../support/cold-start';

const ENV = {
  ...FUNCTION_ENV,
  CLEARANCE_VULNERABILITY_TABLE: 'clearance-vulnerabilities',
  CLEARANCE_POLICY: 'default',
};

describe('fleet-scan-item entry', () => {
  it('builds its handler at cold start from the environment', () => {
    expect(typeof coldStart('fleet-scan-item', ENV).handler).toBe('function');
  });

  it.each([
    'CLEARANCE_BUCKET',
    'CLEARANCE_IMAGES_TABLE',
    'CLEARANCE_AUDIT_TABLE',
    'CLEARANCE_VULNERABILITY_TABLE',
    'CLEARANCE_POLICY',
  ])('fails at cold start without %s, naming it', (name) => {
    expect(() => coldStart('fleet-scan-item', without(ENV, name))).toThrow(name);
  });
});
