import { FUNCTION_ENV, coldStart, without } from '../../support/cold-start';

const ENV = { ...FUNCTION_ENV, CLEARANCE_ANCHORS_BUCKET: 'clearance-anchors-123456789012' };

describe('audit-anchor entry', () => {
  it('builds its handler at cold start from the environment', () => {
    expect(typeof coldStart('audit-anchor', ENV).handler).toBe('function');
  });

  it.each(['CLEARANCE_AUDIT_TABLE', 'CLEARANCE_ANCHORS_BUCKET'])(
    'fails at cold start without %s, naming it',
    (name) => {
      expect(() => coldStart('audit-anchor', without(ENV, name))).toThrow(name);
    },
  );
});
