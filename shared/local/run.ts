import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { ScanImageInput } from '../pipeline';
import { localDefinition, type CfnTemplate, type LocalDefinition } from './definition';
import { FailureWatch, type LocalFailure } from './failure';
import { ProgressLog } from './progress';

/** A handler as the local executor calls it: the state's effective input in, its result out. */
export type LocalHandler = (input: unknown) => Promise<unknown>;

export interface LocalExecution {
  /** The execution's output (the last state's), or undefined when it failed. */
  readonly output: unknown;
  readonly status: 'SUCCEEDED' | 'FAILED';
  /** States entered, nested ones included: what Step Functions bills as state transitions. */
  readonly transitions: number;
  /** Error and cause when it failed. */
  readonly error?: { readonly Error: string; readonly Cause: unknown };
  /**
   * What failed it, when it failed: the error a Catch handed to RecordFailure (the execution's
   * own error is then the generic `Clearance.ScanFailed`), or else the last state that failed.
   */
  readonly failure?: LocalFailure;
}

export interface ExecuteOptions {
  /** The synthesized CloudFormation template holding ScanImage. */
  readonly template: CfnTemplate;
  /** Handlers by folder name under `functions/`. */
  readonly handlers: Readonly<Record<string, LocalHandler>>;
  readonly input: ScanImageInput;
  /** Each progress line, as it happens. */
  readonly print: (line: string) => void;
  /**
   * Milliseconds to wait between retries instead of the definition's backoff (tests).
   * @default - the definition's intervals
   */
  readonly retryIntervalMs?: number;
  /**
   * Milliseconds each Wait state waits instead of the definition's (tests: the deferral an
   * untagged manifest's scan waits for its index).
   * @default - the definition's
   */
  readonly waitMs?: number;
}

/**
 * Runs the synthesized ScanImage definition with aws-local-stepfunctions, each Task calling its
 * handler in this process, and prints a line per state. The definition is the one CloudFormation
 * would deploy: Retry, Catch, Choice and Map semantics are the real ones.
 */
export async function executeScanImage(options: ExecuteOptions): Promise<LocalExecution> {
  return executeLocally({ ...options, machine: 'ScanImage' });
}

export interface ExecuteLocallyOptions extends Omit<ExecuteOptions, 'input'> {
  /** The state machine's logical id prefix (`ScanImage`, `FleetScan`). */
  readonly machine: string;
  /** Run the part that starts at this state (`localDefinition`). @default - the whole machine */
  readonly from?: string;
  /** With `from`: end the part before this state. @default - run to the machine's end */
  readonly until?: string;
  readonly input: unknown;
}

/** Runs a synthesized state machine (or the part of it from a state on) as executeScanImage does. */
export async function executeLocally(options: ExecuteLocallyOptions): Promise<LocalExecution> {
  const local = localDefinition(options.template, options.machine, options.from, options.until);
  const machine = new StateMachine(local.definition as unknown as StateMachineDefinition, {
    validationOptions: { checkPaths: true, checkArn: true },
  });
  const execution = machine.run(options.input as Parameters<StateMachine['run']>[0], {
    overrides: {
      taskResourceLocalHandlers: taskHandlers(local, options.handlers) as never,
      ...(options.retryIntervalMs !== undefined && {
        retryIntervalOverrides: Object.fromEntries(
          [...local.tasks.keys(), ...statesOf(local, 'Map')].map((s) => [
            s,
            options.retryIntervalMs!,
          ]),
        ),
      }),
      ...(options.waitMs !== undefined && {
        waitTimeOverrides: Object.fromEntries(
          statesOf(local, 'Wait').map((s) => [s, options.waitMs!]),
        ),
      }),
    },
  });
  const progress = new ProgressLog();
  const failures = new FailureWatch();
  let transitions = 0;
  const printing = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateEntered') transitions += 1;
      failures.observe(event);
      const line = progress.lineOf(event);
      if (line !== undefined) options.print(line);
    }
  })();
  try {
    const output = await execution.result;
    await printing;
    return { status: 'SUCCEEDED', output, transitions };
  } catch (error) {
    await printing.catch(() => undefined);
    // An ExecutionError's cause is what failed the execution: a Fail state or an uncaught error.
    const failed = ((error as { cause?: unknown }).cause ?? error) as Error;
    const executionError = { Error: failed.name, Cause: failed.message };
    return {
      status: 'FAILED',
      output: undefined,
      transitions,
      error: executionError,
      failure: failures.failure(executionError),
    };
  }
}

function taskHandlers(
  local: LocalDefinition,
  handlers: Readonly<Record<string, LocalHandler>>,
): Record<string, LocalHandler> {
  const byState: Record<string, LocalHandler> = {};
  for (const [state, name] of local.tasks) {
    const handler = handlers[name];
    if (handler === undefined) throw new Error(`no local handler for ${name} (state ${state})`);
    byState[state] = handler;
  }
  return byState;
}

/** The names of the states of `type`, nested ones included. */
function statesOf(local: LocalDefinition, type: string): string[] {
  const names: string[] = [];
  const walk = (node: Record<string, unknown>): void => {
    for (const [name, state] of Object.entries(
      (node.States ?? {}) as Record<string, Record<string, unknown>>,
    )) {
      if (state.Type === type) names.push(name);
      const nested = state.ItemProcessor ?? state.Iterator;
      if (nested !== undefined) walk(nested as Record<string, unknown>);
    }
  };
  walk(local.definition);
  return names;
}
