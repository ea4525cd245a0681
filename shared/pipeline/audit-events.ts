import type { AuditEvent, AuditEventType } from '../audit';
import type { EvaluatedPlatform, ImageTarget, Trigger } from './states';

/*
 * The audit events the ScanImage steps append. Their ids are deterministic (the scan or the
 * execution they belong to, and the type), so that a retried step records each event once;
 * issue 7 chains them.
 */

/** The id of an event of `type` about `subject` (a scan id, an execution name). */
export function auditEventId(subject: string, type: AuditEventType): string {
  return `${subject}:${type}`;
}

/** What a scan event says; `subject` makes its id. */
export interface ScanEventInput {
  readonly subject: string;
  readonly type: AuditEventType;
  /** ISO time; a retried step passes the same one (its summary's). */
  readonly time: string;
  readonly trigger: Trigger;
  readonly image: ImageTarget;
  readonly details: Record<string, unknown>;
  readonly versions?: Record<string, string>;
}

/** An audit event about one image, its actor the trigger's. */
export function scanEvent(input: ScanEventInput): AuditEvent {
  return {
    id: auditEventId(input.subject, input.type),
    type: input.type,
    time: input.time,
    actor: input.trigger.actor,
    image: auditImage(input.image),
    details: input.details,
    versions: input.versions ?? {},
  };
}

/** The image as the audit trail names it (the registry goes in the details where it matters). */
export function auditImage(image: ImageTarget): NonNullable<AuditEvent['image']> {
  const { repository, digest, tag } = image;
  return tag === undefined ? { repository, digest } : { repository, digest, tag };
}

/**
 * The versions that decided a scan: the policy digest, the vulnerability data version and the
 * analyser set. Platforms evaluated under different ones (a data sync between two of them)
 * record each, sorted and comma-separated.
 */
export function scanVersions(
  analyzerSet: string,
  platforms: readonly Pick<EvaluatedPlatform, 'policy' | 'dataVersion'>[],
): Record<string, string> {
  return {
    policyDigest: distinct(platforms.map((p) => p.policy.digest)),
    dataVersion: distinct(platforms.map((p) => p.dataVersion)),
    analyzerSet,
  };
}

function distinct(values: readonly string[]): string {
  return [...new Set(values)].sort().join(',');
}
