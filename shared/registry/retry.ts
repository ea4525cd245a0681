import { setTimeout as delay } from 'node:timers/promises';

/** How transient failures (network errors, timeouts, 429, 5xx) are retried. */
export interface RetryOptions {
  /**
   * Attempts in all, the first one included.
   * @default 4
   */
  readonly attempts?: number;
  /**
   * Backoff before the first retry; it doubles on each retry after.
   * @default 500
   */
  readonly baseDelayMs?: number;
  /**
   * Cap on one backoff delay and on a server's `Retry-After`.
   * @default 30000
   */
  readonly maxDelayMs?: number;
}

/** {@link RetryOptions} with every default filled in. */
export type RetryPolicy = Required<RetryOptions>;

/** Four attempts over roughly 0.5 + 1 + 2 s of jittered backoff. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 30_000 };

const TOO_MANY_REQUESTS = 429;
const NOT_IMPLEMENTED = 501;
const VERSION_NOT_SUPPORTED = 505;
const MS_PER_SECOND = 1000;
const HTTP_DATE_START = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)/;

/** The policy with defaults filled in; nonsensical values fall back to the defaults. */
export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  const pick = (value: number | undefined, fallback: number, min: number): number =>
    value !== undefined && Number.isFinite(value) && value >= min ? Math.floor(value) : fallback;
  return {
    attempts: pick(options.attempts, DEFAULT_RETRY.attempts, 1),
    baseDelayMs: pick(options.baseDelayMs, DEFAULT_RETRY.baseDelayMs, 0),
    maxDelayMs: pick(options.maxDelayMs, DEFAULT_RETRY.maxDelayMs, 0),
  };
}

/** 429 and 5xx, except the 5xx that say the request itself can never work. */
export function isRetryableStatus(status: number): boolean {
  if (status === TOO_MANY_REQUESTS) return true;
  return (
    status >= 500 && status <= 599 && status !== NOT_IMPLEMENTED && status !== VERSION_NOT_SUPPORTED
  );
}

/**
 * Exponential backoff with full jitter: uniform in [0, min(max, base·2^retry)].
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 * @param retry 0 before the first retry, 1 before the second, …
 */
export function backoffDelay(
  retry: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/**
 * `Retry-After` in milliseconds from now: delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
 * Undefined when absent or unparseable; never negative.
 */
export function parseRetryAfter(
  value: string | null,
  now: number = Date.now(),
): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * MS_PER_SECOND;
  // Every HTTP-date form starts with a day name; V8's Date.parse alone accepts "1.5" or "-5".
  const date = HTTP_DATE_START.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** The wait before retry number `retry`: the server's `Retry-After` when given (capped), else backoff. */
export function delayBeforeRetry(
  retry: number,
  policy: RetryPolicy,
  retryAfter: string | null,
): number {
  const asked = parseRetryAfter(retryAfter);
  if (asked !== undefined) return Math.min(asked, policy.maxDelayMs);
  return backoffDelay(retry, policy);
}

/** Waits `ms` milliseconds (not at all for 0 or less). */
export async function sleep(ms: number): Promise<void> {
  if (ms > 0) await delay(ms);
}
