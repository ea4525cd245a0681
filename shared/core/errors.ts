/**
 * How a caller should treat a failure (STYLE.md §10):
 * - `input`: the user's input or the image is wrong; report it, do not retry.
 * - `transient`: the network or a service hiccuped; retrying may succeed.
 * - `bug`: our invariant broke; alarm.
 */
export type ErrorKind = 'input' | 'transient' | 'bug';

/** What every Clearance error takes beside its message: the native `cause`. */
export interface ErrorOptions {
  readonly cause?: unknown;
}

/**
 * Root of every error Clearance throws on purpose, its codes typed by `Code`. A class per
 * failure sets `code` and `kind` itself (`class InvalidDigestError … { readonly code =
 * 'INVALID_DIGEST' }`); a module whose errors differ only by code extends {@link CodedError}.
 */
export abstract class ClearanceError<Code extends string = string> extends Error {
  abstract readonly code: Code;
  abstract readonly kind: ErrorKind;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The options of a {@link CodedError} throw that names its kind beside its cause. */
export interface CodedErrorOptions extends ErrorOptions {
  readonly kind?: ErrorKind;
}

/**
 * The one error class of a module, the code picked per throw (sigstore-js's `BaseError<Code>`):
 * `class PolicyError extends CodedError<PolicyErrorCode> {}`, then
 * `new PolicyError('POLICY_INVALID', message, { cause })`. The kind is the throw's own, given
 * after the message (`new AwsError(code, message, 'transient', { cause })`) or in the options
 * (`{ cause, kind }`), else the class's `defaultKind`.
 */
export abstract class CodedError<Code extends string> extends ClearanceError<Code> {
  /** The kind of a throw that names none; a module whose errors are mostly bugs says so. */
  static readonly defaultKind: ErrorKind = 'input';

  readonly code: Code;
  readonly kind: ErrorKind;

  constructor(code: Code, message: string, kind?: ErrorKind, options?: ErrorOptions);
  constructor(code: Code, message: string, options?: CodedErrorOptions);
  constructor(
    code: Code,
    message: string,
    kindOrOptions?: ErrorKind | CodedErrorOptions,
    options?: ErrorOptions,
  ) {
    const given = typeof kindOrOptions === 'object' ? kindOrOptions : options;
    super(message, given);
    this.code = code;
    this.kind =
      (typeof kindOrOptions === 'object' ? kindOrOptions.kind : kindOrOptions) ??
      new.target.defaultKind;
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
