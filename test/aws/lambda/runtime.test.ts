import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';
import {
  lambdaHandler,
  optionalEnv,
  requireEnv,
  type LambdaRuntime,
} from '../../../shared/aws/lambda/runtime';
import { PipelineError } from '../../../shared/pipeline/errors';

const context = { functionName: 'clearance-test', awsRequestId: 'request-1' } as Context;

function runtime(): { runtime: LambdaRuntime; warnings: string[]; published: jest.SpyInstance } {
  const warnings: string[] = [];
  const logger = new Logger({ logLevel: 'SILENT' });
  const metrics = new Metrics({
    namespace: 'ClearanceTests',
    serviceName: 'test',
    logger: { warn: (message: string) => void warnings.push(message) } as unknown as Console,
  });
  const published = jest.spyOn(metrics, 'publishStoredMetrics');
  return {
    runtime: { logger, metrics, tracer: new Tracer({ enabled: false }) },
    warnings,
    published,
  };
}

describe('lambdaHandler', () => {
  it('returns what the step returns and flushes the metrics it recorded', async () => {
    const { runtime: r, published } = runtime();
    const handler = lambdaHandler(r, () => {
      r.metrics.addMetric('Scanned', MetricUnit.Count, 1);
      return Promise.resolve({ ok: true });
    });
    await expect(handler({}, context)).resolves.toEqual({ ok: true });
    expect(published).toHaveBeenCalledTimes(1);
    expect(r.metrics.hasStoredMetrics()).toBe(false);
  });

  it('flushes the metrics of a step that fails, and rethrows its error', async () => {
    const { runtime: r, published } = runtime();
    const failure = new PipelineError('MISCONFIGURED', 'no table');
    const handler = lambdaHandler(r, () => {
      r.metrics.addMetric('Attempts', MetricUnit.Count, 1);
      return Promise.reject(failure);
    });
    await expect(handler({}, context)).rejects.toBe(failure);
    expect(published).toHaveBeenCalledTimes(1);
  });

  it('says nothing when a step recorded no metric (no empty-flush warning per invocation)', async () => {
    const { runtime: r, warnings, published } = runtime();
    await lambdaHandler(r, () => Promise.resolve('done'))({}, context);
    expect(published).not.toHaveBeenCalled();
    expect(warnings).toEqual([]);
  });
});

describe('requireEnv and optionalEnv', () => {
  it('reads a set variable', () => {
    expect(requireEnv('TABLE', { TABLE: 'verdicts' })).toBe('verdicts');
    expect(optionalEnv('TABLE', { TABLE: 'verdicts' })).toBe('verdicts');
  });

  it('fails fast, by name, on a required variable that is missing or empty', () => {
    for (const env of [{}, { TABLE: '' }]) {
      expect(() => requireEnv('TABLE', env)).toThrow(
        new PipelineError('MISCONFIGURED', 'environment variable TABLE is not set'),
      );
    }
  });

  it('takes an empty optional variable as unset', () => {
    expect(optionalEnv('KEYS', { KEYS: '' })).toBeUndefined();
    expect(optionalEnv('KEYS', {})).toBeUndefined();
  });
});
