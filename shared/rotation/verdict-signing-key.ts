import { createPublicKey, sign, verify } from 'node:crypto';
import {
  generateSigningKey,
  parseSigningKey,
  privateKeyOf,
  serializeSigningKey,
  type SigningKey,
} from '../attest';
import type { ObjectStore } from '../objects';
import type { Clock } from '../core';
import { RotationError } from './errors';
import {
  publicKeyObjectKey,
  publishPublicKey,
  readKeyIndex,
  withKey,
  writeKeyIndex,
  type KeyIndex,
} from './key-index';
import type { Rotator } from './rotator';

/** The `clearance:rotator` tag value of the verdict signing key's secret. */
export const VERDICT_SIGNING_KEY_ROTATOR = 'verdict-signing-key';

/** What testSecret signs with the pending key (any bytes would do; these say why). */
const PROBE = Buffer.from('clearance verdict signing key rotation test');

export interface VerdictSigningKeyRotatorDeps {
  /** The artifacts bucket: the public keys go under `verdict-keys/`. */
  readonly store: ObjectStore;
  /** The new key's `createdAt`. */
  readonly clock: Clock;
}

/**
 * Rotates the verdict signing key (shared/attest/signing-key.ts): createSecret makes a new
 * ECDSA P-256 key pair; setSecret publishes its public key (`verdict-keys/<keyId>.pem`, and
 * `pending` in `index.json`) before anything can sign with it; testSecret signs and verifies
 * with the pending key and checks that the very key is published; after finishSecret the
 * index names it `current` and the key it replaced `previous`. The first rotation replaces the
 * secret's placeholder (not a key: nothing to mark previous).
 */
export function verdictSigningKeyRotator(deps: VerdictSigningKeyRotatorDeps): Rotator {
  const { store } = deps;
  return {
    kind: VERDICT_SIGNING_KEY_ROTATOR,
    create: () => Promise.resolve(serializeSigningKey(generateSigningKey(deps.clock()))),
    async set(pending, current) {
      const key = signingKeyOf(pending, 'pending');
      const currentKey = signingKeyOrUndefined(current);
      let index = await readKeyIndex(store);
      // A current key missing from the index (an index rebuilt by hand) is listed again.
      if (currentKey !== undefined && !listed(index, currentKey.keyId)) {
        await publishPublicKey(store, currentKey);
        index = withKey(index, currentKey, 'current');
      }
      await publishPublicKey(store, key);
      await writeKeyIndex(store, withKey(index, key, 'pending'));
    },
    async test(pending) {
      const key = signingKeyOf(pending, 'pending');
      assertSignsAndVerifies(key);
      await assertPublished(store, key);
    },
    async finish(current, previous) {
      const key = signingKeyOf(current, 'current');
      const previousKey = signingKeyOrUndefined(previous);
      const index = await readKeyIndex(store);
      await publishPublicKey(store, key);
      await writeKeyIndex(store, withKey(demoted(index, previousKey), key, 'current'));
    },
    facts: (value): Record<string, string> => {
      const key = signingKeyOrUndefined(value);
      return key === undefined ? {} : { keyId: key.keyId, createdAt: key.createdAt };
    },
  };
}

/**
 * The index before the new key becomes current: the old current (and the secret's AWSPREVIOUS
 * key, if the index lacks it) become previous; pending keys of rotations that never finished
 * are dropped (they signed nothing).
 */
function demoted(index: KeyIndex, previousKey: SigningKey | undefined): KeyIndex {
  const keys = index.keys
    .filter((k) => k.status !== 'pending')
    .map((k) => (k.status === 'current' ? { ...k, status: 'previous' as const } : k));
  const kept = { keys };
  return previousKey !== undefined && !listed(kept, previousKey.keyId)
    ? withKey(kept, previousKey, 'previous')
    : kept;
}

function assertSignsAndVerifies(key: SigningKey): void {
  const signature = sign('sha256', PROBE, privateKeyOf(key));
  if (!verify('sha256', PROBE, createPublicKey(key.publicKeyPem), signature))
    throw new RotationError(
      'TEST_FAILED',
      `pending signing key ${key.keyId}: a signature made with it does not verify`,
    );
}

async function assertPublished(store: ObjectStore, key: SigningKey): Promise<void> {
  const published = await store.get(publicKeyObjectKey(key.keyId));
  if (published?.toString('utf8') !== key.publicKeyPem)
    throw new RotationError(
      'TEST_FAILED',
      `pending signing key ${key.keyId}: ${publicKeyObjectKey(key.keyId)} is ${published === undefined ? 'missing' : 'another key'}: it must be published before it becomes current`,
    );
  if (!listed(await readKeyIndex(store), key.keyId))
    throw new RotationError(
      'TEST_FAILED',
      `pending signing key ${key.keyId}: not listed in verdict-keys/index.json`,
    );
}

function listed(index: KeyIndex, keyId: string): boolean {
  return index.keys.some((k) => k.keyId === keyId);
}

/** The value as a signing key, or a RotationError that says which version (never the value). */
function signingKeyOf(value: string, stage: string): SigningKey {
  try {
    return parseSigningKey(value);
  } catch (error) {
    throw new RotationError(
      'INVALID_SECRET_VALUE',
      `the ${stage} value is not a verdict signing key: ${(error as Error).message}`,
      'input',
      { cause: error },
    );
  }
}

/** The value as a signing key, or undefined (the placeholder before the first rotation). */
function signingKeyOrUndefined(value: string | undefined): SigningKey | undefined {
  if (value === undefined) return undefined;
  try {
    return parseSigningKey(value);
  } catch {
    return undefined;
  }
}
