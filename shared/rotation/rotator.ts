/** Where a rotator is working: the secret and the version being made. Neither is secret. */
export interface RotationContext {
  /** The secret's ARN. */
  readonly secretId: string;
  readonly secretName: string;
  /** The ClientRequestToken: the id of the version being made. */
  readonly token: string;
}

/**
 * What one kind of secret does in each step of the rotation (the protocol in protocol.ts
 * stages the versions; the rotator only makes, installs and checks values). Every method must
 * be re-runnable: Secrets Manager retries a failed step, and a step may have half-run before.
 * Values are the secret strings; a rotator never logs them nor puts them in an error message.
 */
export interface Rotator {
  /** The `clearance:rotator` tag value that selects it. */
  readonly kind: string;
  /**
   * A new value, made from the current one (which may be a placeholder the first time).
   * createSecret stores it as AWSPENDING; it is not used anywhere yet.
   */
  create(current: string, context: RotationContext): Promise<string>;
  /** Makes the pending value usable where it is used (publishes it, registers it). */
  set(pending: string, current: string, context: RotationContext): Promise<void>;
  /** Throws (a `TEST_FAILED` RotationError) unless the pending value works. */
  test(pending: string, context: RotationContext): Promise<void>;
  /**
   * After the pending value became AWSCURRENT: what follows (the key index's statuses, the old
   * credential revoked). Runs again on every re-run of finishSecret.
   * @default - nothing
   */
  finish?(current: string, previous: string | undefined, context: RotationContext): Promise<void>;
  /**
   * Facts about a value that are not secret (a key id, a token id, an expiry), for logs and the
   * audit trail; an empty object for a value it cannot read (the placeholder).
   */
  facts(value: string): Readonly<Record<string, string>>;
}
