import { FUNCTION_ENV, coldStart, without } from '../../support/cold-start';

const ENV = { ...FUNCTION_ENV, CLEARANCE_REPOSITORIES: 'team/*,base' };

describe('fleet-enumerate entry', () => {
  it('builds its handler at cold start from the environment', () => {
    expect(typeof coldStart('fleet-enumerate', ENV).handler).toBe('function');
  });

  it.each(['CLEARANCE_BUCKET', 'CLEARANCE_REPOSITORIES'])(
    'fails at cold start without %s, naming it',
    (name) => {
      expect(() => coldStart('fleet-enumerate', without(ENV, name))).toThrow(name);
    },
  );
});
