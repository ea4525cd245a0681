import { FUNCTION_ENV, coldStart, without } from '../../support/cold-start';

describe('posture-scan entry', () => {
  it('builds its handler at cold start from the environment', () => {
    expect(typeof coldStart('posture-scan', FUNCTION_ENV).handler).toBe('function');
  });

  it.each(['CLEARANCE_BUCKET', 'CLEARANCE_IMAGES_TABLE', 'CLEARANCE_REPOSITORIES'])(
    'fails at cold start without %s, naming it',
    (name) => {
      expect(() => coldStart('posture-scan', without(FUNCTION_ENV, name))).toThrow(name);
    },
  );
});
