import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';
import {
  lambdaEnvironment,
  lambdaHandler,
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

/**
 * A Logger whose lines the test reads instead of the run's output: Powertools writes to the global
 * console in dev mode (POWERTOOLS_DEV), which the spy captures.
 */
function capturedLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const capture = (...args: unknown[]) =>
    void lines.push(JSON.parse(String(args[0])) as Record<string, unknown>);
  for (const method of ['error', 'warn', 'info', 'log', 'debug'] as const)
    jest.spyOn(console, method).mockImplementation(capture);
  const dev = process.env.POWERTOOLS_DEV;
  process.env.POWERTOOLS_DEV = 'true';
  try {
    return { logger: new Logger({ logLevel: 'DEBUG', serviceName: 'test' }), lines };
  } finally {
    if (dev === undefined) delete process.env.POWERTOOLS_DEV;
    else process.env.POWERTOOLS_DEV = dev;
  }
}

afterEach(() => jest.restoreAllMocks());

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

  it('logs one ERROR line per failure: the error, the invocation, never the event', async () => {
    const { logger, lines } = capturedLogger();
    const r = { ...runtime().runtime, logger };
    const failure = new PipelineError('MISCONFIGURED', 'no table');
    const handler = lambdaHandler(r, () => Promise.reject(failure));
    await expect(handler({ password: 'hunter2' }, context)).rejects.toBe(failure);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'ERROR',
      message: 'step failed',
      errorName: 'PipelineError',
      errorMessage: 'no table',
      function_name: 'clearance-test',
      function_request_id: 'request-1',
    });
    expect(JSON.stringify(lines)).not.toContain('hunter2');
  });

  it('says nothing when a step recorded no metric (no empty-flush warning per invocation)', async () => {
    const { runtime: r, warnings, published } = runtime();
    await lambdaHandler(r, () => Promise.resolve('done'))({}, context);
    expect(published).not.toHaveBeenCalled();
    expect(warnings).toEqual([]);
  });
});

describe('lambdaEnvironment', () => {
  const saved = { ...process.env };
  const withEnv = (env: Record<string, string>) => {
    for (const key of Object.keys(process.env))
      if (key.startsWith('CLEARANCE_')) delete process.env[key];
    Object.assign(process.env, env);
  };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('reads a set variable, parsed', () => {
    withEnv({ CLEARANCE_BUCKET: 'artifacts', CLEARANCE_VULNERABILITY_TABLE: 'verdicts' });
    expect(lambdaEnvironment('match')).toEqual({
      bucket: 'artifacts',
      vulnerabilityTable: 'verdicts',
    });
    withEnv({
      CLEARANCE_IMAGES_TABLE: 'images',
      CLEARANCE_AUDIT_TABLE: 'audit',
      CLEARANCE_QUARANTINE: 'tag',
      CLEARANCE_TRIGGER_WINDOW_SECONDS: '300',
    });
    expect(lambdaEnvironment('quarantine')).toMatchObject({
      quarantine: 'tag',
      triggerWindowSeconds: 300,
    });
  });

  it('fails fast, by name, on a required variable that is missing or empty', () => {
    for (const env of [{}, { CLEARANCE_AUDIT_TABLE: '' }] as Record<string, string>[]) {
      withEnv(env);
      expect(() => lambdaEnvironment('record-failure')).toThrow(
        new PipelineError('MISCONFIGURED', 'environment variable CLEARANCE_AUDIT_TABLE is not set'),
      );
    }
  });

  it('takes an empty optional variable as unset', () => {
    withEnv({ CLEARANCE_BUCKET: 'artifacts', CLEARANCE_POLICY: 'default' });
    expect(lambdaEnvironment('evaluate').signatureKeys).toBeUndefined();
    withEnv({ CLEARANCE_BUCKET: 'a', CLEARANCE_POLICY: 'default', CLEARANCE_SIGNATURE_KEYS: '' });
    expect(lambdaEnvironment('evaluate').signatureKeys).toBeUndefined();
  });
});
