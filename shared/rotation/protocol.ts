import type { AuditLog, Clock } from '../pipeline/ports';
import { RotationError } from './errors';
import type { RotationContext, Rotator } from './rotator';
import {
  AWSCURRENT,
  AWSPENDING,
  AWSPREVIOUS,
  versionsWithStage,
  type SecretDescription,
  type SecretStore,
} from './secret-store';
import { rotationAuditEvent } from './rotation-events';

/*
 * Secrets Manager's four-step rotation, as its rotation function template does it
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html):
 * createSecret → setSecret → testSecret → finishSecret, each called with the secret, a
 * ClientRequestToken (the id of the version being made) and the step. Every step is
 * re-runnable; only finishSecret moves AWSCURRENT.
 */

/** The tag that names a secret's rotator (`verdict-signing-key`, `registry-token`). */
export const ROTATOR_TAG = 'clearance:rotator';

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

/** What a step did: its work, or nothing because the token's version is already current. */
export interface RotationOutcome {
  readonly step: RotationStep;
  readonly rotator: string;
  readonly outcome: 'done' | 'already-current';
}

/**
 * Runs one step for `request`: refuses a secret without rotation enabled, a token that names
 * no version, or a version staged neither AWSPENDING nor AWSCURRENT; returns early when the
 * token's version is already AWSCURRENT (finishSecret then only completes what a half-run
 * finish left: AWSPENDING removed, the rotator's finish, the audit event).
 */
export async function rotateSecret(
  request: RotationRequest,
  deps: RotationDeps,
): Promise<RotationOutcome> {
  const secret = await deps.store.describeSecret(request.secretId);
  const stages = stagesOfToken(secret, request.token);
  const rotator = rotatorOf(secret, deps.rotators);
  const run: StepRun = { request, deps, secret, rotator, context: contextOf(secret, request) };
  const current = stages.includes(AWSCURRENT);
  deps.log.info('rotation step', {
    secret: secret.arn,
    version: request.token,
    step: request.step,
    rotator: rotator.kind,
    stages: [...stages],
  });
  if (current && request.step !== 'finishSecret') {
    deps.log.info('version is already AWSCURRENT: nothing to do', { step: request.step });
    return { step: request.step, rotator: rotator.kind, outcome: 'already-current' };
  }
  await STEPS[request.step](run);
  return {
    step: request.step,
    rotator: rotator.kind,
    outcome: current ? 'already-current' : 'done',
  };
}

interface StepRun {
  readonly request: RotationRequest;
  readonly deps: RotationDeps;
  readonly secret: SecretDescription;
  readonly rotator: Rotator;
  readonly context: RotationContext;
}

const STEPS: Readonly<Record<RotationStep, (run: StepRun) => Promise<void>>> = {
  createSecret,
  setSecret,
  testSecret,
  finishSecret,
};

/** AWSPENDING under the token, made by the rotator from AWSCURRENT, unless it is there already. */
async function createSecret({ request, deps, secret, rotator, context }: StepRun): Promise<void> {
  const current = await currentValue(deps, secret);
  if (await pendingValue(deps, request, false)) {
    deps.log.info('createSecret: the pending version exists already');
    return;
  }
  const value = await rotator.create(current, context);
  await deps.store.putSecretValue(request.secretId, request.token, value, [AWSPENDING], {
    rotationToken: request.rotationToken,
  });
  deps.log.info('createSecret: pending version stored', { ...rotator.facts(value) });
}

async function setSecret({ request, deps, secret, rotator, context }: StepRun): Promise<void> {
  const current = await currentValue(deps, secret);
  const pending = (await pendingValue(deps, request, true))!;
  await rotator.set(pending, current, context);
  deps.log.info('setSecret: pending value set', { ...rotator.facts(pending) });
}

async function testSecret({ request, deps, rotator, context }: StepRun): Promise<void> {
  const pending = (await pendingValue(deps, request, true))!;
  await rotator.test(pending, context);
  deps.log.info('testSecret: pending value works', { ...rotator.facts(pending) });
}

/**
 * AWSCURRENT moved to the token (Secrets Manager stages the old version AWSPREVIOUS), then
 * AWSPENDING removed; the rotator's finish and the audit event follow, on every run.
 */
async function finishSecret({ request, deps, secret, rotator, context }: StepRun): Promise<void> {
  const { store } = deps;
  const [previousId] = versionsWithStage(secret, AWSCURRENT);
  if (previousId !== request.token) {
    // Never make current a version without a value (createSecret has not stored one).
    await pendingValue(deps, request, true);
    await store.updateSecretVersionStage(request.secretId, AWSCURRENT, {
      moveTo: request.token,
      removeFrom: previousId,
    });
    deps.log.info('finishSecret: AWSCURRENT moved', { from: previousId, to: request.token });
  }
  if (secret.versions[request.token]?.includes(AWSPENDING))
    await store.updateSecretVersionStage(request.secretId, AWSPENDING, {
      removeFrom: request.token,
    });
  const current = await store.getSecretValue(request.secretId, { versionId: request.token });
  const previous = await store.getSecretValue(request.secretId, { stage: AWSPREVIOUS });
  if (current === undefined) throw notStaged(secret, request.token);
  const kept = previous?.versionId === request.token ? undefined : previous;
  await rotator.finish?.(current.value, kept?.value, context);
  await deps.audit?.append([
    rotationAuditEvent({
      secret,
      rotator: rotator.kind,
      versionId: request.token,
      previousVersionId: kept?.versionId,
      facts: rotator.facts(current.value),
      time: deps.clock(),
    }),
  ]);
}

/** The token's stages, after the checks every step makes first. */
function stagesOfToken(secret: SecretDescription, token: string): readonly string[] {
  if (!secret.rotationEnabled)
    throw new RotationError(
      'ROTATION_NOT_ENABLED',
      `secret ${secret.arn} is not enabled for rotation: expected RotationEnabled true`,
    );
  const stages = secret.versions[token];
  if (stages === undefined) throw notStaged(secret, token);
  if (!stages.includes(AWSCURRENT) && !stages.includes(AWSPENDING))
    throw new RotationError(
      'TOKEN_NOT_PENDING',
      `version ${token} of secret ${secret.arn} is not staged for rotation: expected AWSPENDING, got ${stages.length > 0 ? stages.join(', ') : 'no stage'}`,
    );
  return stages;
}

function rotatorOf(secret: SecretDescription, rotators: readonly Rotator[]): Rotator {
  const kind = secret.tags[ROTATOR_TAG];
  const rotator = rotators.find((r) => r.kind === kind);
  if (rotator === undefined)
    throw new RotationError(
      'UNKNOWN_ROTATOR',
      `secret ${secret.arn}: expected tag ${ROTATOR_TAG} = ${rotators.map((r) => r.kind).join(' | ')}, got ${kind === undefined ? 'no such tag' : JSON.stringify(kind)}`,
    );
  return rotator;
}

async function currentValue(deps: RotationDeps, secret: SecretDescription): Promise<string> {
  const current = await deps.store.getSecretValue(secret.arn, { stage: AWSCURRENT });
  if (current === undefined)
    throw new RotationError(
      'NO_CURRENT_VERSION',
      `secret ${secret.arn} has no AWSCURRENT value to rotate from`,
    );
  return current.value;
}

/** The value staged AWSPENDING under the token (VersionId and VersionStage both), if any. */
async function pendingValue(
  deps: RotationDeps,
  request: RotationRequest,
  required: boolean,
): Promise<string | undefined> {
  const pending = await deps.store.getSecretValue(request.secretId, {
    versionId: request.token,
    stage: AWSPENDING,
  });
  if (pending === undefined && required)
    throw new RotationError(
      'PENDING_MISSING',
      `secret ${request.secretId} has no AWSPENDING value under version ${request.token}: createSecret has not run`,
    );
  return pending?.value;
}

function contextOf(secret: SecretDescription, request: RotationRequest): RotationContext {
  return { secretId: secret.arn, secretName: secret.name, token: request.token };
}

function notStaged(secret: SecretDescription, token: string): RotationError {
  return new RotationError(
    'TOKEN_NOT_STAGED',
    `secret ${secret.arn} has no version ${token}: expected the rotation's ClientRequestToken`,
  );
}
