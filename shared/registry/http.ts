import {
  RegistryConnectionError,
  RegistryResponseError,
  RegistryUnavailableError,
  TooManyRedirectsError,
  type RequestTarget,
} from './errors';
import { isPermanentNetworkFailure, networkCauseOf, networkFailure } from './network-failure';
import { errorCode, HttpResponse } from './response';
import {
  delayBeforeRetry,
  isRetryableStatus,
  retryPolicy,
  sleep,
  type RetryOptions,
  type RetryPolicy,
} from './retry';

/** Transport settings shared by every request to one registry. */
export interface HttpOptions {
  /** How transient failures are retried. */
  readonly retry?: RetryOptions;
  /**
   * Time to wait for response headers, per attempt and per redirect hop.
   * @default 30000
   */
  readonly timeoutMs?: number;
  /**
   * Time a response body may deliver nothing before it fails.
   * @default timeoutMs
   */
  readonly idleTimeoutMs?: number;
}

/** One request: where, with which headers, and what it is for (for messages). */
export interface HttpRequest {
  readonly url: URL;
  /** @default 'GET' */
  readonly method?: 'GET' | 'HEAD' | 'POST' | 'PUT';
  /** The body of a POST or PUT: small (manifests, attestation blobs), so retries resend it whole. */
  readonly body?: Buffer;
  readonly headers?: Readonly<Record<string, string>>;
  /** Names the request in errors. */
  readonly target: RequestTarget;
}

/** Headers timeout, and idle timeout on bodies, unless configured. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Redirects followed per attempt; ECR and Docker Hub need one. */
export const MAX_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

type Attempt = { response: HttpResponse } | { failure: string; cause: unknown };

/**
 * Requests over `fetch` with retries for transient failures (exponential backoff, full jitter,
 * `Retry-After`), a headers timeout, and redirects followed by hand so that `Authorization`
 * never reaches another origin (ECR redirects blobs to pre-signed S3 URLs).
 */
export class HttpClient {
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly idleTimeoutMs: number;

  constructor(options: HttpOptions = {}) {
    this.policy = retryPolicy(options.retry);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.idleTimeoutMs = options.idleTimeoutMs ?? this.timeoutMs;
  }

  /**
   * The first response that is not a transient failure, whatever its status: callers decide
   * what 401, 403 and 404 mean. Throws {@link RegistryUnavailableError} when attempts run out.
   */
  get(request: HttpRequest): Promise<HttpResponse> {
    return this.send(request);
  }

  /** As {@link get}, for any method: a POST or PUT is retried with its body, never redirected. */
  async send(request: HttpRequest): Promise<HttpResponse> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(request);
      const response = 'response' in outcome ? outcome.response : undefined;
      if (response !== undefined && !isRetryableStatus(response.status)) return response;
      if (attempt >= this.policy.attempts) {
        await response?.discard();
        throw exhausted(request.target, attempt, outcome);
      }
      const retryAfter = response?.headers.get('retry-after') ?? null;
      await response?.discard();
      await sleep(delayBeforeRetry(attempt - 1, this.policy, retryAfter));
    }
  }

  private async attempt(request: HttpRequest): Promise<Attempt> {
    let url = request.url;
    let headers = { ...request.headers };
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const outcome = await this.fetchOnce({ ...request, url, headers });
      // Only reads follow redirects: a write answered with one is the caller's to report.
      if (
        !('response' in outcome) ||
        !REDIRECT_STATUSES.has(outcome.response.status) ||
        !isRead(request)
      )
        return outcome;
      const next = await redirectTarget(outcome.response, request.target);
      // A credential for the registry must not leak to a CDN or S3 (RFC 9110 §15.4).
      if (next.origin !== url.origin) headers = withoutAuthorization(headers);
      url = next;
    }
    throw new TooManyRedirectsError(request.target, MAX_REDIRECTS);
  }

  private async fetchOnce(request: HttpRequest & { readonly url: URL }): Promise<Attempt> {
    const { url, headers, target } = request;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    try {
      const response = await fetch(url, {
        method: request.method ?? 'GET',
        headers,
        ...(request.body !== undefined && { body: request.body }),
        redirect: 'manual',
        signal: controller.signal,
      });
      return { response: new HttpResponse(response, controller, url, target, this.idleTimeoutMs) };
    } catch (cause) {
      if (timedOut) return { failure: `no response headers within ${this.timeoutMs} ms`, cause };
      const code = errorCode(cause);
      if (networkCauseOf(code) === 'tls') {
        const hint =
          url.protocol === 'https:' ? '; if the registry serves plain HTTP, use --plain-http' : '';
        throw new RegistryConnectionError(
          target,
          `TLS failure ${code} from ${url.origin}${hint}`,
          'input',
          { cause },
        );
      }
      if (isPermanentNetworkFailure(code))
        throw new RegistryConnectionError(target, networkFailure(url, code), 'input', { cause });
      return { failure: networkFailure(url, code), cause };
    } finally {
      clearTimeout(timer);
    }
  }
}

function isRead(request: HttpRequest): boolean {
  return request.method === undefined || request.method === 'GET' || request.method === 'HEAD';
}

async function redirectTarget(response: HttpResponse, target: RequestTarget): Promise<URL> {
  const location = response.headers.get('location');
  await response.discard();
  const status = response.status;
  if (location === null)
    throw new RegistryResponseError(target, `HTTP ${status} without a Location header`, status);
  let next: URL;
  try {
    next = new URL(location, response.url);
  } catch {
    throw new RegistryResponseError(
      target,
      `HTTP ${status} with an unparseable Location header`,
      status,
    );
  }
  if (
    next.protocol !== 'https:' &&
    (next.protocol !== 'http:' || response.url.protocol === 'https:')
  ) {
    throw new RegistryResponseError(
      target,
      `refusing a redirect from ${response.url.protocol} to ${next.protocol}`,
      status,
    );
  }
  return next;
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'),
  );
}

function exhausted(
  target: RequestTarget,
  attempts: number,
  outcome: Attempt,
): RegistryUnavailableError {
  if ('failure' in outcome) {
    return new RegistryUnavailableError(target, attempts, outcome.failure, undefined, {
      cause: outcome.cause,
    });
  }
  const { status } = outcome.response;
  return new RegistryUnavailableError(target, attempts, `HTTP ${status}`, status);
}
