import type { Context } from 'aws-lambda';
import { FUNCTION_ENV, coldStart, without } from '../../support/cold-start';

const ENV = {
  ...FUNCTION_ENV,
  CLEARANCE_VULNERABILITY_TABLE: 'clearance-vulnerabilities',
  CLEARANCE_POLICY: 'default',
};

describe('evaluate entry', () => {
  it('builds its handler at cold start from the environment', () => {
    expect(typeof coldStart('evaluate', ENV).handler).toBe('function');
  });

  it.each(['CLEARANCE_BUCKET', 'CLEARANCE_POLICY'])(
    'fails at cold start without %s, naming it',
    (name) => {
      expect(() => coldStart('evaluate', without(ENV, name))).toThrow(name);
    },
  );

  it('fails its first invocation as Clearance.Bug when a signature key is not awskms://', async () => {
    const { handler } = coldStart('evaluate', { ...ENV, CLEARANCE_SIGNATURE_KEYS: 'cosign.pub' });
    const invoke = handler as (event: unknown, context: Context) => Promise<unknown>;
    const context = { functionName: 'evaluate', awsRequestId: 'r-1' } as Context;

    await expect(invoke({}, context)).rejects.toMatchObject({
      name: 'Clearance.Bug',
      message: expect.stringContaining('CLEARANCE_SIGNATURE_KEYS holds "cosign.pub"'),
    });
  });
});
