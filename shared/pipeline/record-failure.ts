import { createHash } from 'node:crypto';
import { z } from 'zod';
import { auditEventId, auditImage } from './audit-events';
import type { AuditLog } from '../audit';
import type { Clock } from '../core';
import { CaughtError, ImageTarget, ResolvedScan, Trigger } from './states';
import { stepBinding } from './step-binding';

/** RecordFailure's output (at `$.failure`): what NotifyOperations tells people. */
export const RecordedFailure = z.object({
  /** The scan id, or for a failure before there was one, a digest of what is known: deterministic. */
  id: z.string().min(1),
  image: ImageTarget.optional(),
  trigger: Trigger.optional(),
  scanId: ResolvedScan.shape.scanId.optional(),
  /** The error's name and its cause: its message only, credentials redacted, truncated. */
  error: CaughtError,
});
export type RecordedFailure = z.infer<typeof RecordedFailure>;

export interface RecordFailureDeps {
  readonly audit: AuditLog;
  readonly clock: Clock;
}

/** Characters of an error's cause kept in the audit trail and the message. */
export const MAX_CAUSE_LENGTH = 1000;
const MAX_NAME_LENGTH = 200;

/**
 * The RecordFailure state: takes any input (a failure in Resolve has no scan id; the input may
 * be what was wrong), records `scan.failed` and hands NotifyOperations the failure.
 */
export const RECORD_FAILURE_STEP = stepBinding('RecordFailure', z.unknown(), recordFailure);

/**
 * The RecordFailure step: the `scan.failed` audit event for whatever the Catch hands on, and
 * the failure for NotifyOperations. It takes any input: the failing state may be Resolve (no
 * scan id) or the input itself may be what was wrong, and failing here would lose the record.
 */
export async function recordFailure(
  input: unknown,
  deps: RecordFailureDeps,
): Promise<RecordedFailure> {
  const failure = failureOf(input);
  await deps.audit.append([
    {
      id: auditEventId(failure.id, 'scan.failed'),
      type: 'scan.failed',
      time: deps.clock().toISOString(),
      actor: failure.trigger?.actor ?? 'unknown',
      ...(failure.image ? { image: auditImage(failure.image) } : {}),
      details: {
        scanId: failure.scanId ?? null,
        registry: failure.image?.registry ?? null,
        trigger: failure.trigger ? { type: failure.trigger.type, id: failure.trigger.id } : null,
        error: failure.error,
      },
      versions: {},
    },
  ]);
  return failure;
}

/** What can be read of a failure input: each part that is well-formed, and the cleaned error. */
export function failureOf(input: unknown): RecordedFailure {
  const raw = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const image = ImageTarget.safeParse(raw.image).data;
  const trigger = Trigger.safeParse(raw.trigger).data;
  const scanId = ResolvedScan.shape.scanId.safeParse(raw.scanId).data;
  const error = cleanError(raw.error);
  const id = scanId ?? `failed-${fingerprint({ image: raw.image, trigger: raw.trigger, error })}`;
  return {
    id,
    ...(image ? { image } : {}),
    ...(trigger ? { trigger } : {}),
    ...(scanId ? { scanId } : {}),
    error,
  };
}

/**
 * Step Functions' `{Error, Cause}` made fit to keep and send: a Lambda error's JSON cause
 * reduced to its message (its stack trace dropped), credentials redacted, then truncated.
 */
export function cleanError(value: unknown): z.infer<typeof CaughtError> {
  const parsed = CaughtError.safeParse(value);
  if (!parsed.success)
    return { Error: 'Unknown', Cause: 'the failure carried no {Error, Cause} to record' };
  return {
    Error: truncated(redactCredentials(parsed.data.Error), MAX_NAME_LENGTH),
    Cause: truncated(redactCredentials(messageOfCause(parsed.data.Cause ?? '')), MAX_CAUSE_LENGTH),
  };
}

/** What may name a credential in an error message, replaced by `***`. */
const CREDENTIALS: readonly [RegExp, string][] = [
  // user:password@ in URLs
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@'],
  // query strings: pre-signed URLs (X-Amz-Signature, X-Amz-Credential, tokens)
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s?#"']*)\?[^\s"']*/gi, '$1?***'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 ***'],
  // AWS access key ids
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, '$1***'],
  // key=value, key: value, "key":"value" for names that hold secrets
  [
    /\b((?:authorization|password|passwd|secret|token|api[_-]?key|access[_-]?key|session[_-]?token|credentials?)["']?\s*[:=]\s*["']?)[^\s"',;}]+/gi,
    '$1***',
  ],
];

/** `text` with anything that looks like a credential replaced by `***`. */
export function redactCredentials(text: string): string {
  return CREDENTIALS.reduce((t, [pattern, replacement]) => t.replace(pattern, replacement), text);
}

function messageOfCause(cause: string): string {
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // not a Lambda error's JSON: the cause is the text itself
  }
  return cause;
}

function truncated(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function fingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}
