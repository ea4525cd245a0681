import { getStringFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';
import {
  FUNCTION_ENVIRONMENT,
  readEnvironment,
  type FunctionEnvironment,
  type FunctionName,
} from '../../handlers';

/** Powertools for one function, created once at cold start (service name from the environment). */
export interface LambdaRuntime {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
}

export function lambdaRuntime(): LambdaRuntime {
  return { logger: new Logger(), metrics: new Metrics(), tracer: new Tracer() };
}

/**
 * Function `name`'s variables, read at cold start as the environment contract declares them
 * (shared/handlers/environment.ts): parsed, so that a wrong value fails fast, and a required one
 * that is unset or empty fails as MISCONFIGURED, by name.
 */
export function lambdaEnvironment<N extends FunctionName>(name: N): FunctionEnvironment<N> {
  return readEnvironment(FUNCTION_ENVIRONMENT[name], fromProcessEnv);
}

/**
 * A variable of the process's environment, through Powertools (which trims it). Its own
 * handling of what is missing does not fit: it throws a plain `Error` for a missing variable
 * and returns '' for an empty one, where the contract takes both as unset and a missing
 * required one as the typed MISCONFIGURED error. So it reads with '' as the default, and the
 * contract decides.
 */
function fromProcessEnv(name: string): string {
  return getStringFromEnv({ key: name, defaultValue: '' });
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
