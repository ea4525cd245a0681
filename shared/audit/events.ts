/** The audit trail's events, as the steps, the rotation and the sync job record them. */

export type AuditEventType =
  | 'image.pushed'
  | 'artifact.skipped'
  | 'scan.skipped'
  | 'scan.started'
  | 'scan.completed'
  | 'scan.failed'
  | 'verdict.changed'
  | 'image.promoted'
  | 'image.quarantined'
  | 'exception.used'
  | 'exception.expired'
  | 'vulnerability-data.updated'
  | 'policy.changed'
  | 'secret.rotated'
  | 'image.deployed'
  | 'deployment.stopped';

/** One event of the audit trail. Issue 7 chains them (hash chain, anchors); this is its input. */
export interface AuditEvent {
  /** Deterministic (scanId + type, say): appending the same event twice records it once. */
  readonly id: string;
  readonly type: AuditEventType;
  readonly time: string;
  readonly actor: string;
  readonly image?: { readonly repository: string; readonly digest: string; readonly tag?: string };
  readonly details: Readonly<Record<string, unknown>>;
  /** What decided it: policy digest, vulnerability data version, analyser set. */
  readonly versions: Readonly<Record<string, string>>;
}

export interface AuditLog {
  /** Appends events; an event whose id is already recorded is skipped, not duplicated. */
  append(events: readonly AuditEvent[]): Promise<void>;
}
