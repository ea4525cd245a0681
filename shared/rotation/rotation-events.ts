import type { AuditEvent } from '../audit';
import type { SecretDescription } from './secret-store';

/*
 * The audit events of the secret-rotation concern. Both are of type `secret.rotated` (the
 * issue's list has no other secret type), told apart by `details.outcome`:
 * - `rotated`: our rotation function made a new version current;
 * - `hygiene-finding`: the nightly hygiene check found a secret without rotation, not rotated
 *   within the allowed days, or without a customer-managed key.
 * No secret value is ever part of an event: only names, ARNs, version ids and a rotator's facts.
 */

/** Who rotates: Secrets Manager invokes the rotation function on the secret's schedule. */
export const ROTATION_ACTOR = 'secretsmanager.amazonaws.com';

export interface RotationEventInput {
  readonly secret: Pick<SecretDescription, 'arn' | 'name'>;
  readonly rotator: string;
  readonly versionId: string;
  readonly previousVersionId: string | undefined;
  /** The rotator's facts about the new value (a key id). */
  readonly facts: Readonly<Record<string, string>>;
  readonly time: Date;
}

/** `secret.rotated` for a finished rotation; its id is the secret's and the version's, so a re-run finishSecret records it once. */
export function rotationAuditEvent(input: RotationEventInput): AuditEvent {
  return {
    id: `${input.secret.arn}#${input.versionId}:secret.rotated`,
    type: 'secret.rotated',
    time: input.time.toISOString(),
    actor: ROTATION_ACTOR,
    details: {
      outcome: 'rotated',
      secretArn: input.secret.arn,
      secretName: input.secret.name,
      rotator: input.rotator,
      versionId: input.versionId,
      ...(input.previousVersionId !== undefined && { previousVersionId: input.previousVersionId }),
      facts: input.facts,
    },
    versions: {},
  };
}
