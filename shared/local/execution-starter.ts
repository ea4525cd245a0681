import type { ExecutionStarter } from '../pipeline';

/** How a local execution ended. */
export type LocalExecutionOutcome =
  | { readonly status: 'succeeded'; readonly output: unknown }
  | { readonly status: 'failed'; readonly error: unknown };

/**
 * The ExecutionStarter of `clearance pipeline run` and the tests: a name starts once (as Step
 * Functions keeps execution names), running `run` with the input; a second start of the name
 * is a duplicate. Unlike StartExecution, `start` resolves when the run has ended, so that the
 * caller's output follows the execution's; a failed run is an outcome, not a failed start.
 */
export class LocalExecutionStarter implements ExecutionStarter {
  private readonly outcomes = new Map<string, Promise<LocalExecutionOutcome>>();

  constructor(private readonly run: (name: string, input: unknown) => Promise<unknown>) {}

  async start(name: string, input: unknown): Promise<{ readonly started: boolean }> {
    if (this.outcomes.has(name)) return { started: false };
    const outcome = this.runOnce(name, input);
    this.outcomes.set(name, outcome);
    await outcome;
    return { started: true };
  }

  /** The names started, in order. */
  names(): string[] {
    return [...this.outcomes.keys()];
  }

  /** How the execution named `name` ended, or undefined when no such execution started. */
  outcome(name: string): Promise<LocalExecutionOutcome> | undefined {
    return this.outcomes.get(name);
  }

  private async runOnce(name: string, input: unknown): Promise<LocalExecutionOutcome> {
    try {
      return { status: 'succeeded', output: await this.run(name, input) };
    } catch (error) {
      return { status: 'failed', error };
    }
  }
}
