import { FUNCTION_ENV, coldStart, without } from '../../support/cold-start';

const ENV = {
  ...FUNCTION_ENV,
  CLEARANCE_SIGNING_SECRET_ARN:
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:clearance-signing-AbCdEf',
};

describe('sign-verdict entry', () => {
  it('builds its handler at cold start from the environment', () => {
    expect(typeof coldStart('sign-verdict', ENV).handler).toBe('function');
  });

  it.each(['CLEARANCE_BUCKET', 'CLEARANCE_SIGNING_SECRET_ARN'])(
    'fails at cold start without %s, naming it',
    (name) => {
      expect(() => coldStart('sign-verdict', without(ENV, name))).toThrow(name);
    },
  );
});
