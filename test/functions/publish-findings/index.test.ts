import { FUNCTION_ENV, coldStart, without } from '../../support/cold-start';

const ENV = {
  ...FUNCTION_ENV,
  CLEARANCE_SECURITY_HUB_PRODUCT_ARN:
    'arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default',
};

describe('publish-findings entry', () => {
  it('builds its handler at cold start from the environment', () => {
    expect(typeof coldStart('publish-findings', ENV).handler).toBe('function');
  });

  it.each(['CLEARANCE_BUCKET', 'CLEARANCE_IMAGES_TABLE', 'CLEARANCE_SECURITY_HUB_PRODUCT_ARN'])(
    'fails at cold start without %s, naming it',
    (name) => {
      expect(() => coldStart('publish-findings', without(ENV, name))).toThrow(name);
    },
  );
});
