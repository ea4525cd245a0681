import { ClearanceError, type ErrorKind } from '../core';

/** Errors talking to an OCI distribution registry. Messages never hold a password or a token. */
export abstract class RegistryError extends ClearanceError<RegistryErrorCode> {}

/** Every `code` a {@link RegistryError} carries. */
export type RegistryErrorCode =
  | 'REGISTRY_UNAUTHORIZED'
  | 'REGISTRY_FORBIDDEN'
  | 'REGISTRY_NOT_FOUND'
  | 'REGISTRY_UNAVAILABLE'
  | 'REGISTRY_TIMEOUT'
  | 'REGISTRY_CONNECTION_FAILED'
  | 'REGISTRY_UNEXPECTED_RESPONSE'
  | 'TOO_MANY_REDIRECTS'
  | 'INVALID_CREDENTIALS_CONFIG'
  | 'CREDENTIALS_UNAVAILABLE';

/** What a request is for, so every message names the registry, the repository and the object. */
export interface RequestTarget {
  /** Registry host[:port] as the user wrote it, `docker.io` for Docker Hub. */
  readonly registry: string;
  readonly repository: string;
  /** `manifest latest`, `blob sha256:…`, `referrers of sha256:…`, `token for repository:x:pull`. */
  readonly object: string;
}

/** `manifest latest of 127.0.0.1:5000/test/app`. */
export function describeTarget(target: RequestTarget): string {
  return `${target.object} of ${target.registry}/${target.repository}`;
}

/** 401: no credentials, or the registry (or its token service) rejected them. */
export class RegistryUnauthorizedError extends RegistryError {
  readonly code = 'REGISTRY_UNAUTHORIZED';
  readonly kind: ErrorKind = 'input';
  constructor(
    readonly target: RequestTarget,
    detail: string,
  ) {
    super(`expected 200 for ${describeTarget(target)}, got 401 Unauthorized: ${detail}`);
  }
}

/** 403: authenticated, but not allowed to pull. */
export class RegistryForbiddenError extends RegistryError {
  readonly code = 'REGISTRY_FORBIDDEN';
  readonly kind: ErrorKind = 'input';
  constructor(
    readonly target: RequestTarget,
    detail: string,
  ) {
    super(`expected 200 for ${describeTarget(target)}, got 403 Forbidden: ${detail}`);
  }
}

/** 404: the repository, tag or digest does not exist on the registry. */
export class RegistryNotFoundError extends RegistryError {
  readonly code = 'REGISTRY_NOT_FOUND';
  readonly kind: ErrorKind = 'input';
  constructor(
    readonly target: RequestTarget,
    detail = '',
  ) {
    super(
      `${target.object} not found in repository ${target.repository} on ${target.registry} (HTTP 404)` +
        (detail === '' ? '' : `: ${detail}`),
    );
  }
}

/** Transient failures (network, timeouts, 429, 5xx) outlasted every attempt. */
export class RegistryUnavailableError extends RegistryError {
  readonly code = 'REGISTRY_UNAVAILABLE';
  readonly kind: ErrorKind = 'transient';
  constructor(
    readonly target: RequestTarget,
    readonly attempts: number,
    /** The last failure: `HTTP 503`, `no response headers within 100 ms`, `ECONNREFUSED`. */
    readonly last: string,
    /** The last HTTP status, when the last failure was one. */
    readonly lastStatus?: number,
    options?: { cause?: unknown },
  ) {
    super(
      `GET ${describeTarget(target)} failed after ${attempts} attempts; last: ${last}`,
      options,
    );
  }
}

/** A response body stalled for longer than the idle timeout. */
export class RegistryTimeoutError extends RegistryError {
  readonly code = 'REGISTRY_TIMEOUT';
  readonly kind: ErrorKind = 'transient';
  constructor(
    readonly target: RequestTarget,
    readonly timeoutMs: number,
  ) {
    super(`${describeTarget(target)}: expected data within ${timeoutMs} ms, got none`);
  }
}

/** The connection failed in a way retrying will not fix (TLS), or broke mid-body. */
export class RegistryConnectionError extends RegistryError {
  readonly code = 'REGISTRY_CONNECTION_FAILED';
  constructor(
    readonly target: RequestTarget,
    detail: string,
    readonly kind: ErrorKind,
    options?: { cause?: unknown },
  ) {
    super(`cannot read ${describeTarget(target)}: ${detail}`, options);
  }
}

/** A status or a document the distribution spec does not allow at this point. */
export class RegistryResponseError extends RegistryError {
  readonly code = 'REGISTRY_UNEXPECTED_RESPONSE';
  readonly kind: ErrorKind = 'input';
  constructor(
    readonly target: RequestTarget,
    detail: string,
    readonly status?: number,
  ) {
    super(`unexpected response for ${describeTarget(target)}: ${detail}`);
  }
}

/** A request was redirected more times than allowed (a loop, most likely). */
export class TooManyRedirectsError extends RegistryError {
  readonly code = 'TOO_MANY_REDIRECTS';
  readonly kind: ErrorKind = 'input';
  constructor(
    readonly target: RequestTarget,
    readonly limit: number,
  ) {
    super(`${describeTarget(target)}: expected at most ${limit} redirects, got more`);
  }
}

/** Credentials were configured wrongly: half a pair, or a docker config.json we cannot read. */
export class InvalidCredentialsConfigError extends RegistryError {
  readonly code = 'INVALID_CREDENTIALS_CONFIG';
  readonly kind: ErrorKind = 'input';
  constructor(
    /** Where: `options`, `environment`, or the config file's path. */
    readonly source: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`invalid registry credentials in ${source}: ${detail}`, options);
  }
}

/** A credential provider (ECR) could not produce credentials for a registry. */
export class CredentialsUnavailableError extends RegistryError {
  readonly code = 'CREDENTIALS_UNAVAILABLE';
  constructor(
    readonly registry: string,
    detail: string,
    readonly kind: ErrorKind,
    options?: { cause?: unknown },
  ) {
    super(`cannot get credentials for registry ${registry}: ${detail}`, options);
  }
}
