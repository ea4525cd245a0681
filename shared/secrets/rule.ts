import type { Severity } from '../osv';

/**
 * One kind of secret. Rules are data: the scanner compiles them once, and the tests run each
 * against examples that must match and near misses that must not.
 */
export interface SecretRule {
  /** Stable identifier, in reports, allow rules and policies (`aws-access-key-id`). */
  readonly id: string;
  readonly title: string;
  readonly severity: Exclude<Severity, 'UNKNOWN'>;
  /**
   * Lower-case strings, one of which every match contains: a file none of them occurs in is
   * never searched with `pattern`.
   */
  readonly keywords: readonly string[];
  /**
   * The secret in context. The secret is its first matched group named `secret…` (`secret`,
   * `secret2`: one per alternative), else the whole match.
   */
  readonly pattern: RegExp;
  /**
   * Least Shannon entropy, in bits per character, of the secret: generic rules use it to tell
   * a random token from a word or a placeholder.
   */
  readonly minEntropy?: number;
  /** What the secret itself must look like, where the context alone lets too much through. */
  readonly shape?: RegExp;
  /** The rule reports only what no other rule found: generic rules defer to specific ones. */
  readonly fallback?: boolean;
}

/** An exception to the rules: a path whose files are noise, or a value known to be harmless. */
export interface AllowRule {
  readonly id: string;
  readonly description: string;
  /** Files whose path matches are not searched. */
  readonly path?: RegExp;
  /** Secrets that match are not reported. */
  readonly secret?: RegExp;
}
