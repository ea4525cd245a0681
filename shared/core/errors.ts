/**
 * How a caller should treat a failure (STYLE.md §10):
 * - `input`: the user's input or the image is wrong; report it, do not retry.
 * - `transient`: the network or a service hiccuped; retrying may succeed.
 * - `bug`: our invariant broke; alarm.
 */
export type ErrorKind = 'input' | 'transient' | 'bug';

/** Root of every error Clearance throws on purpose. Each module subclasses it in its own errors.ts. */
export abstract class ClearanceError extends Error {
  abstract readonly code: string;
  abstract readonly kind: ErrorKind;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export function isClearanceError(error: unknown): error is ClearanceError {
  return error instanceof ClearanceError;
}

/**
 * The message of anything thrown, for a problem's `reason` or a one-line report. Duck-typed:
 * errors from Node's own modules fail `instanceof Error` across realms (Jest, vm).
 */
export function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
