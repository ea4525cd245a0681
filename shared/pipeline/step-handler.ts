import type { z } from 'zod';
import { PipelineError, stepErrorOf } from './errors';

/**
 * A state's handler: the input parsed with its schema at the edge (a malformed input is a
 * `Clearance.Input` error, never retried), then `run`, whose failures leave as StepErrors named
 * by kind for the state machine's Retry and Catch.
 */
export function stepHandler<S extends z.ZodType, O>(
  name: string,
  schema: S,
  run: (input: z.infer<S>) => Promise<O>,
): (event: unknown) => Promise<O> {
  return async (event: unknown) => {
    const parsed = schema.safeParse(event);
    if (!parsed.success)
      throw stepErrorOf(
        new PipelineError(
          'MALFORMED_INPUT',
          `${name} got a malformed input: ${parsed.error.issues
            .slice(0, 5)
            .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
            .join('; ')}`,
          'input',
        ),
      );
    try {
      return await run(parsed.data as z.infer<S>);
    } catch (error) {
      throw stepErrorOf(error);
    }
  };
}
