import type { z } from 'zod';
import { stepHandler } from './step-handler';

/**
 * A function's step as data: the state it runs as, the input it accepts, and the step of
 * `shared/` it calls. The Lambda entries and the local runner bind the same entry to their
 * ports, so that both run the very same handler.
 */
export interface StepBinding<S extends z.ZodType, D, O> {
  /** The state's name in the state machine, and in a malformed input's message. */
  readonly state: string;
  /** The input's schema, parsed at the edge: a malformed input is `Clearance.Input`. */
  readonly input: S;
  /** The step: its input parsed, its ports given. */
  readonly step: (input: z.infer<S>, deps: D) => Promise<O>;
}

export function stepBinding<S extends z.ZodType, D, O>(
  state: string,
  input: S,
  step: (input: z.infer<S>, deps: D) => Promise<O>,
): StepBinding<S, D, O> {
  return { state, input, step };
}

/** The handler of `binding` with its ports: the event parsed, the step run, errors named by kind. */
export function bindStep<S extends z.ZodType, D, O>(
  binding: StepBinding<S, D, O>,
  deps: D,
): (event: unknown) => Promise<O> {
  return stepHandler(binding.state, binding.input, (input) => binding.step(input, deps));
}
