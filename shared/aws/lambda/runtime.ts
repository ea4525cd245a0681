import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';
import { PipelineError } from '../../pipeline/errors';

/** Powertools for one function, created once at cold start (service name from the environment). */
export interface LambdaRuntime {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
}

export function lambdaRuntime(): LambdaRuntime {
  return { logger: new Logger(), metrics: new Metrics(), tracer: new Tracer() };
}

/** A required environment variable, read at cold start: a missing one fails fast, by name. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value === '')
    throw new PipelineError('MISCONFIGURED', `environment variable ${name} is not set`);
  return value;
}

/** An optional environment variable; empty counts as unset. */
export function optionalEnv(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The Lambda entry around a step: the invocation's context on every log line, one line per
 * failure (its error name and message, never the event: it may name credentials), and the
 * metrics flushed whatever happens (when the step recorded any: Powertools warns on every empty
 * flush, a log line per invocation in each function that has no metric of its own).
 */
export function lambdaHandler<O>(
  runtime: LambdaRuntime,
  handle: (event: unknown) => Promise<O>,
): (event: unknown, context: Context) => Promise<O> {
  return async (event, context) => {
    runtime.logger.addContext(context);
    try {
      return await handle(event);
    } catch (error) {
      const { name, message } = error as Error;
      runtime.logger.error('step failed', { errorName: name, errorMessage: message });
      throw error;
    } finally {
      if (runtime.metrics.hasStoredMetrics()) runtime.metrics.publishStoredMetrics();
    }
  };
}
