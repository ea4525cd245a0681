import { z } from 'zod';
import type { SigningKey } from '../attest';
import type { ObjectStore } from '../objects';
import { RotationError } from './errors';

/*
 * The published verdict keys in the artifacts bucket: `verdict-keys/<keyId>.pem` (SPKI PEM)
 * per key and `verdict-keys/index.json` = `{"keys": [{keyId, publicKeyPem, createdAt, status}]}`.
 * A key is `pending` from setSecret (published before it signs anything), `current` once its
 * rotation finished, `previous` after the next one. Previous keys stay listed: every verdict
 * they signed stays verifiable (`clearance verify-verdict --keys`).
 */

export const VERDICT_KEYS_PREFIX = 'verdict-keys/';
export const KEY_INDEX_KEY = `${VERDICT_KEYS_PREFIX}index.json`;

export type KeyStatus = 'current' | 'previous' | 'pending';

export interface PublishedKey {
  readonly keyId: string;
  readonly publicKeyPem: string;
  readonly createdAt: string;
  readonly status: KeyStatus;
}

export interface KeyIndex {
  readonly keys: readonly PublishedKey[];
}

const KeyIndexSchema = z.object({
  keys: z.array(
    z.object({
      keyId: z.string().regex(/^[0-9a-f]{64}$/),
      publicKeyPem: z.string().min(1),
      createdAt: z.string(),
      status: z.enum(['current', 'previous', 'pending']),
    }),
  ),
});

/** The object key of a published public key. */
export function publicKeyObjectKey(keyId: string): string {
  return `${VERDICT_KEYS_PREFIX}${keyId}.pem`;
}

/** The published index, or an empty one when none is published yet. */
export async function readKeyIndex(store: ObjectStore): Promise<KeyIndex> {
  const bytes = await store.get(KEY_INDEX_KEY);
  if (bytes === undefined) return { keys: [] };
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw invalidIndex('not JSON', error);
  }
  const parsed = KeyIndexSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidIndex(`${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Writes the index, its keys in a stable order: current, pending, previous; newest first. */
export async function writeKeyIndex(store: ObjectStore, index: KeyIndex): Promise<void> {
  const rank: Record<KeyStatus, number> = { current: 0, pending: 1, previous: 2 };
  const keys = [...index.keys].sort(
    (a, b) =>
      rank[a.status] - rank[b.status] ||
      compare(b.createdAt, a.createdAt) ||
      compare(a.keyId, b.keyId),
  );
  await store.put(KEY_INDEX_KEY, Buffer.from(`${JSON.stringify({ keys }, null, 2)}\n`));
}

/** Publishes `key`'s public half as `<keyId>.pem` (idempotent: same key, same bytes). */
export async function publishPublicKey(store: ObjectStore, key: SigningKey): Promise<void> {
  await store.put(publicKeyObjectKey(key.keyId), Buffer.from(key.publicKeyPem));
}

/** `index` with `key` listed under `status` (added, or its status replaced). */
export function withKey(index: KeyIndex, key: SigningKey, status: KeyStatus): KeyIndex {
  const entry: PublishedKey = {
    keyId: key.keyId,
    publicKeyPem: key.publicKeyPem,
    createdAt: key.createdAt,
    status,
  };
  return { keys: [...index.keys.filter((k) => k.keyId !== key.keyId), entry] };
}

function invalidIndex(reason: string, cause?: unknown): RotationError {
  return new RotationError(
    'KEY_INDEX_INVALID',
    `${KEY_INDEX_KEY} is not the published key index: ${reason}; fix or remove it (the .pem files beside it are kept)`,
    'input',
    { cause },
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
