import { CodedError, messageOf, type ErrorKind } from '../core';

/** Every `code` an {@link AwsError} carries. */
export type AwsErrorCode =
  /** An AWS call failed; `kind` says whether to retry (throttling, 5xx, no answer) or not. */
  | 'AWS_REQUEST_FAILED'
  /** The image to copy is not in its repository (BatchGetImage found nothing). */
  | 'IMAGE_NOT_FOUND'
  /** The registry of an image is not an ECR host in the client's region: the adapter cannot reach it. */
  | 'UNREACHABLE_REGISTRY'
  /** ECR answered with a manifest that does not parse as its media type says. */
  | 'INVALID_MANIFEST'
  /** ECR answered with manifest bytes whose sha256 is not the digest asked for. */
  | 'MANIFEST_DIGEST_MISMATCH'
  /** A blob downloaded to copy between repositories is not of the digest or size its manifest names. */
  | 'BLOB_DIGEST_MISMATCH'
  /** A blob's pre-signed download URL answered with an error, or not at all. */
  | 'BLOB_DOWNLOAD_FAILED'
  /** A blob is larger than ECR's layer upload limits allow. */
  | 'BLOB_TOO_LARGE'
  /** An item read from a table is not of the shape its adapter writes. */
  | 'INVALID_STORED_ITEM'
  /** A value the adapter was given cannot be stored as asked (an audit event's time, say). */
  | 'INVALID_REQUEST'
  /** Another attempt holds the claim of this notification and has not published it yet. */
  | 'NOTIFICATION_IN_FLIGHT';

/** A failure of an AWS adapter (shared/aws). Messages name the service, the call and the resource, never credentials. */
export class AwsError extends CodedError<AwsErrorCode> {}

/** Error names of AWS services that mean "later may work": throttling, capacity, the service's own failures. */
const TRANSIENT_NAME =
  /Throttl|TooManyRequests|ProvisionedThroughputExceeded|RequestLimitExceeded|InternalServer|InternalError|InternalFailure|ServiceUnavailable|ServerException|SlowDown|Timeout|TimedOut|RequestTimeout|ExecutionLimitExceeded/;
/** Requests we built wrong: our invariant broke. */
const BUG_NAME =
  /^(ValidationException|SerializationException|InvalidParameter(Exception|Value)?|InvalidName|InvalidExecutionInput)$/;
/** SDK messages are one line; anything longer is cut so no request detail is echoed at length. */
const MAX_DETAIL = 200;

/**
 * How to treat a failed AWS SDK call: transient when the service throttled, failed on its side
 * (5xx, 429), the SDK marked it retryable, or no answer came (refused, reset, timed out); bug for
 * a request we built wrong; input (misconfiguration, a missing resource, denied access) otherwise.
 */
export function awsErrorKind(error: unknown): ErrorKind {
  const e = (error ?? {}) as {
    name?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const status = e.$metadata?.httpStatusCode;
  if (status === undefined || status >= 500 || status === 429) return 'transient';
  if (e.$retryable !== undefined || TRANSIENT_NAME.test(e.name ?? '')) return 'transient';
  return BUG_NAME.test(e.name ?? '') ? 'bug' : 'input';
}

/** The name of an SDK error (`NoSuchKey`, `ThrottlingException`), or undefined. */
export function awsErrorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * A failed call as an {@link AwsError} `AWS_REQUEST_FAILED` classed by {@link awsErrorKind}:
 * `S3 PutObject on s3://bucket/key failed: SlowDown (HTTP 503): Please reduce your request rate`.
 * Only the service's error name, status and first message line are kept: never the request.
 */
export function awsRequestError(call: string, target: string, cause: unknown): AwsError {
  const status = (cause as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata
    ?.httpStatusCode;
  const detail = messageOf(cause).split('\n')[0]!.slice(0, MAX_DETAIL);
  const message = `${call} on ${target} failed: ${awsErrorName(cause) ?? 'Error'}${status === undefined ? '' : ` (HTTP ${status})`}: ${detail}`;
  return new AwsError('AWS_REQUEST_FAILED', message, awsErrorKind(cause), { cause });
}

/** A factory for the generic `Table` of dynamodb-table.ts: its failures as `AWS_REQUEST_FAILED`. */
export function tableError(message: string, cause: unknown, kind: ErrorKind): AwsError {
  return new AwsError('AWS_REQUEST_FAILED', message, kind, { cause });
}
