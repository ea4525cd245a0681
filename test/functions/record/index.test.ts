import { FUNCTION_ENV, coldStart, without } from '../../support/cold-start';

describe('record entry', () => {
  it('builds its handler at cold start from the environment', () => {
    expect(typeof coldStart('record', FUNCTION_ENV).handler).toBe('function');
  });

  it.each(['CLEARANCE_BUCKET', 'CLEARANCE_IMAGES_TABLE', 'CLEARANCE_AUDIT_TABLE'])(
    'fails at cold start without %s, naming it',
    (name) => {
      expect(() => coldStart('record', without(FUNCTION_ENV, name))).toThrow(name);
    },
  );
});
