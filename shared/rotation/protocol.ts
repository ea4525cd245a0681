import { RotationError } from './errors';
import type { RotationContext, Rotator } from './rotator';
import { AWSCURRENT, AWSPENDING, type SecretDescription } from './secret-store';
import { STEPS, notStaged, type StepRun } from './rotation-steps';
import type { RotationDeps, RotationRequest, RotationStep } from './request';

export * from './request';

/*
 * Secrets Manager's four-step rotation, as its rotation function template does it
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html):
 * createSecret → setSecret → testSecret → finishSecret, each called with the secret, a
 * ClientRequestToken (the id of the version being made) and the step. Every step is
 * re-runnable; only finishSecret moves AWSCURRENT.
 */

/** The tag that names a secret's rotator (`verdict-signing-key`, `registry-token`). */
export const ROTATOR_TAG = 'clearance:rotator';

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

function contextOf(secret: SecretDescription, request: RotationRequest): RotationContext {
  return { secretId: secret.arn, secretName: secret.name, token: request.token };
}
