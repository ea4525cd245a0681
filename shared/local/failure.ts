import { cleanError } from '../pipeline';
import type { EventLog } from './event-log';

/*
 * What failed a local execution, told in one line. ScanImage catches a failing state's error
 * into `$.error` ({Error, Cause}) and hands it to RecordFailure, then fails with the generic
 * `Clearance.ScanFailed`: the error worth showing is the caught one, and the state it came from.
 */

/** The error that failed a local execution, where it happened and what it said. */
export interface LocalFailure {
  /** The innermost state that failed (AnalyzeLayer rather than the Maps around it). */
  readonly state: string;
  /** The error name Retry and Catch see: `Clearance.Input`, `Lambda.TooManyRequestsException`. */
  readonly error: string;
  /** The error code, `LAYER_UNREADABLE`; the error name when the message names none. */
  readonly code: string;
  /** The message, credentials redacted, as RecordFailure records it. */
  readonly message: string;
}

/** `LAYER_UNREADABLE in AnalyzeLayer (Clearance.Input): <message>`. */
export function failureLine(failure: LocalFailure): string {
  const kind = failure.code === failure.error ? '' : ` (${failure.error})`;
  return `${failure.code} in ${failure.state}${kind}: ${failure.message}`;
}

/**
 * The text of a Cause as Step Functions or the local executor carries it: a Lambda error's JSON
 * (`{errorType, errorMessage, trace}`) reduced to its message, a thrown error to `code: message`,
 * a string as it is.
 */
export function causeText(cause: unknown): string {
  if (cause === undefined || cause === null) return '';
  if (typeof cause === 'string') return cleanError({ Error: '', Cause: cause }).Cause ?? '';
  const error = cause as { code?: unknown; message?: unknown };
  if (typeof error.message === 'string') {
    const code = typeof error.code === 'string' ? `${error.code}: ` : '';
    return causeText(error.message.startsWith(code) ? error.message : `${code}${error.message}`);
  }
  return causeText(JSON.stringify(cause));
}

/** Our handlers' messages start with the error code (StepError): `LAYER_UNREADABLE: …`. */
const CODE_PREFIX = /^([A-Z][A-Za-z0-9_.]*): ([\s\S]*)$/;

/** Follows an execution's events and keeps what failed it. */
export class FailureWatch {
  private lastFailed?: { readonly state: string; readonly error: string; readonly cause: unknown };
  private caught?: LocalFailure;

  observe(event: EventLog): void {
    if (event.type === 'StateFailed') {
      // A failure travels up through the Maps around it: the first state it left is the one.
      if (this.lastFailed === undefined || event.state.type === 'Task')
        this.lastFailed = { state: event.state.name, error: event.Error, cause: event.Cause };
    } else if (event.type === 'StateEntered' && event.state.name === RECORD_FAILURE) {
      const input = event.state.input as { error?: unknown } | undefined;
      this.caught = this.failureOf(cleanError(input?.error));
    } else if (event.type === 'StateRetried' && event.state.name === this.lastFailed?.state) {
      // Retried: unless it fails again, it is not what failed the execution.
      this.lastFailed = undefined;
    }
  }

  /**
   * The caught error handed to RecordFailure; else (nothing caught it) the last state that
   * failed; else the execution's own error.
   */
  failure(execution: { readonly Error: string; readonly Cause: unknown }): LocalFailure {
    if (this.caught !== undefined) return this.caught;
    if (this.lastFailed !== undefined)
      return failureFrom(this.lastFailed.state, this.lastFailed.error, this.lastFailed.cause);
    return failureFrom('the execution', execution.Error, execution.Cause);
  }

  private failureOf(error: { Error: string; Cause?: string }): LocalFailure {
    return failureFrom(this.lastFailed?.state ?? 'a state', error.Error, error.Cause);
  }
}

/** The failing state's name in ScanImage: where a Catch hands the error over. */
const RECORD_FAILURE = 'RecordFailure';

function failureFrom(state: string, error: string, cause: unknown): LocalFailure {
  const text = causeText(cause);
  const coded = CODE_PREFIX.exec(text);
  return {
    state,
    error,
    code: coded?.[1] ?? error,
    message: (coded?.[2] ?? text) || 'no cause given',
  };
}
