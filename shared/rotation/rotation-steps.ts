import { RotationError } from './errors';
import type { RotationDeps, RotationRequest, RotationStep } from './request';
import { rotationAuditEvent } from './rotation-events';
import type { RotationContext, Rotator } from './rotator';
import {
  AWSCURRENT,
  AWSPENDING,
  AWSPREVIOUS,
  versionsWithStage,
  type SecretDescription,
} from './secret-store';

/*
 * The four steps of Secrets Manager's rotation, once protocol.ts has checked the request:
 * the secret has rotation on, the token names a version staged AWSPENDING (or AWSCURRENT, for
 * finishSecret's completion of a half-run finish).
 */

export interface StepRun {
  readonly request: RotationRequest;
  readonly deps: RotationDeps;
  readonly secret: SecretDescription;
  readonly rotator: Rotator;
  readonly context: RotationContext;
}

export const STEPS: Readonly<Record<RotationStep, (run: StepRun) => Promise<void>>> = {
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

export function notStaged(secret: SecretDescription, token: string): RotationError {
  return new RotationError(
    'TOKEN_NOT_STAGED',
    `secret ${secret.arn} has no version ${token}: expected the rotation's ClientRequestToken`,
  );
}
