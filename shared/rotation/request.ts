import type { AuditLog } from '../audit';
import type { Clock } from '../core';
import type { Rotator } from './rotator';
import type { SecretStore } from './secret-store';

/** What the rotation function is asked, and what it works with. */

export const ROTATION_STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

/** One invocation of the rotation function, as Secrets Manager sends it. */
export interface RotationRequest {
  readonly secretId: string;
  readonly token: string;
  readonly step: RotationStep;
  /** Passed on to PutSecretValue when Secrets Manager sent one. */
  readonly rotationToken?: string;
}

/** Where the protocol logs: names, version ids, stages and a rotator's facts, never a value. */
export interface RotationLog {
  info(message: string, ...attributes: Record<string, unknown>[]): void;
}

export interface RotationDeps {
  readonly store: SecretStore;
  readonly rotators: readonly Rotator[];
  readonly log: RotationLog;
  readonly clock: Clock;
  /** Where finishSecret records `secret.rotated`. @default - no audit event */
  readonly audit?: AuditLog;
}
