import { RotationError } from './errors';
import type { Rotator } from './rotator';
import { RegistryTokenSchema, type RegistryTokenSecret } from './registry-token-secret';
import { tokenApi, type TokenApi } from './token-api';

export type { RegistryTokenSecret };

/** The `clearance:rotator` tag value of a registry credential issued through an HTTP token API. */
export const REGISTRY_TOKEN_ROTATOR = 'registry-token';

export interface RegistryTokenRotatorDeps {
  /** @default - the token API over `fetch` (tokenApi in token-api.ts) */
  readonly api?: TokenApi;
}

/**
 * Rotates a registry credential issued through the registry's HTTP token API:
 * - createSecret asks the API for a new token with the current one (`Idempotency-Key` = the
 *   rotation's version id, so a re-run after a lost answer gets the same token from an API that
 *   honours it; one that does not leaves an unused token to expire);
 * - setSecret has nothing to do: the registry knows the token from the moment it issued it;
 * - testSecret logs in with the pending token (`checkUrl`);
 * - finishSecret revokes the replaced token when `revokePrevious` is set, else leaves it to
 *   expire.
 */
export function registryTokenRotator(deps: RegistryTokenRotatorDeps = {}): Rotator {
  const api = deps.api ?? tokenApi();
  return {
    kind: REGISTRY_TOKEN_ROTATOR,
    async create(current, context) {
      const secret = credentialOf(current, 'current');
      const issued = await api.issue(secret, context.token);
      const { tokenId: _oldId, expiresAt: _oldExpiry, ...kept } = secret;
      return JSON.stringify({
        ...kept,
        token: issued.token,
        ...(issued.id !== undefined && { tokenId: issued.id }),
        ...(issued.expiresAt !== undefined && { expiresAt: issued.expiresAt }),
      });
    },
    set: (pending) => {
      credentialOf(pending, 'pending');
      return Promise.resolve();
    },
    async test(pending) {
      await api.check(credentialOf(pending, 'pending'));
    },
    async finish(current, previous) {
      const secret = credentialOf(current, 'current');
      const old = previous === undefined ? undefined : credentialOrUndefined(previous);
      if (secret.revokePrevious !== true || old === undefined || old.token === secret.token) return;
      await api.revoke(secret, old);
    },
    facts: (value) => {
      const secret = credentialOrUndefined(value);
      if (secret === undefined) return {};
      return {
        registry: secret.registry,
        username: secret.username,
        ...(secret.tokenId !== undefined && { tokenId: secret.tokenId }),
        ...(secret.expiresAt !== undefined && { expiresAt: secret.expiresAt }),
      };
    },
  };
}

/** The value as a registry credential, or a RotationError naming the field (never its value). */
export function credentialOf(value: string, stage: string): RegistryTokenSecret {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch (error) {
    throw invalid(stage, 'expected JSON', error);
  }
  const parsed = RegistryTokenSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // Only the path and zod's message: its `received` may quote the value.
    throw invalid(stage, `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

function credentialOrUndefined(value: string): RegistryTokenSecret | undefined {
  try {
    return credentialOf(value, 'any');
  } catch {
    return undefined;
  }
}

function invalid(stage: string, reason: string, cause?: unknown): RotationError {
  return new RotationError(
    'INVALID_SECRET_VALUE',
    `the ${stage} value is not a registry-token credential: ${reason}`,
    'input',
    { cause },
  );
}
