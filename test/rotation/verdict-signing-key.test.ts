import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseSigningKey, verificationKeyFromPem } from '../../shared/attest/signing-key';
import { S3ObjectStore } from '../../shared/aws/s3/object-store';
import { SecretsManagerStore } from '../../shared/aws/secrets-manager/secret-store';
import {
  KEY_INDEX_KEY,
  ROTATION_STEPS,
  RotationError,
  publicKeyObjectKey,
  rotateSecret,
  verdictSigningKeyRotator,
  type KeyIndex,
  type RotationStep,
} from '../../shared/rotation';
import { FakeSecretsManager, SECRET_ARN } from '../support/secrets-manager';

const fake = new FakeSecretsManager();
const PLACEHOLDER = JSON.stringify({ placeholder: 'q1w2e3r4t5' });
let now = new Date('2026-01-01T00:00:00.000Z');
const keys = new S3ObjectStore({
  client: new S3Client({ region: 'eu-west-1' }),
  bucket: 'artifacts',
});
const rotator = verdictSigningKeyRotator({ store: keys, clock: () => now });
const deps = {
  store: new SecretsManagerStore({ client: new SecretsManagerClient({ region: 'eu-west-1' }) }),
  rotators: [rotator],
  log: { info: () => undefined },
  clock: () => now,
};

const step = (s: RotationStep, token: string) =>
  rotateSecret({ secretId: SECRET_ARN, token, step: s }, deps);

/** A whole rotation to version `token`, at `at`. */
async function rotate(token: string, at: string, steps: readonly RotationStep[] = ROTATION_STEPS) {
  now = new Date(at);
  fake.addVersion(token, undefined, ['AWSPENDING']);
  for (const s of steps) await step(s, token);
}

function index(): KeyIndex {
  return JSON.parse(fake.objects.get(KEY_INDEX_KEY)!.toString('utf8')) as KeyIndex;
}

const statuses = () => index().keys.map((k) => [k.keyId, k.status]);
const keyIdOf = (token: string) => parseSigningKey(fake.valueOf(token)!).keyId;

describe('verdictSigningKeyRotator', () => {
  beforeEach(() => {
    fake.reset(PLACEHOLDER, { 'clearance:rotator': 'verdict-signing-key' });
  });

  describe('when the first rotation replaces the placeholder', () => {
    it('stores an ECDSA P-256 key pair whose keyId is its public key’s', async () => {
      await rotate('v1', '2026-01-01T00:00:00Z');
      const key = parseSigningKey(fake.valueOf('v1')!);
      expect(verificationKeyFromPem(key.publicKeyPem).keyId).toBe(key.keyId);
      expect(key.createdAt).toBe('2026-01-01T00:00:00.000Z');
    });

    it('publishes the public key and lists it current, with nothing previous', async () => {
      await rotate('v1', '2026-01-01T00:00:00Z');
      const key = parseSigningKey(fake.valueOf('v1')!);
      expect(fake.objects.get(publicKeyObjectKey(key.keyId))?.toString()).toBe(key.publicKeyPem);
      expect(index()).toEqual({
        keys: [
          {
            keyId: key.keyId,
            publicKeyPem: key.publicKeyPem,
            createdAt: key.createdAt,
            status: 'current',
          },
        ],
      });
    });
  });

  describe('when a key replaces another', () => {
    it('publishes the new key, as pending, before AWSCURRENT moves to it', async () => {
      await rotate('v1', '2026-01-01T00:00:00Z');
      fake.events.length = 0;
      await rotate('v2', '2026-01-31T00:00:00Z');
      const pem = `s3:put ${publicKeyObjectKey(keyIdOf('v2'))}`;
      const move = fake.events.findIndex((e) => e.startsWith('sm:stage AWSCURRENT'));
      expect(move).toBeGreaterThan(0);
      expect(fake.events.indexOf(pem)).toBeGreaterThanOrEqual(0);
      expect(fake.events.indexOf(pem)).toBeLessThan(move);
      expect(fake.events.indexOf(`s3:put ${KEY_INDEX_KEY}`)).toBeLessThan(move);
    });

    it('lists the new key pending between setSecret and finishSecret', async () => {
      await rotate('v1', '2026-01-01T00:00:00Z');
      await rotate('v2', '2026-01-31T00:00:00Z', ['createSecret', 'setSecret', 'testSecret']);
      expect(statuses()).toEqual([
        [keyIdOf('v1'), 'current'],
        [keyIdOf('v2'), 'pending'],
      ]);
    });

    it('lists the new key current and every older one previous, newest first', async () => {
      await rotate('v1', '2026-01-01T00:00:00Z');
      await rotate('v2', '2026-01-31T00:00:00Z');
      await rotate('v3', '2026-03-02T00:00:00Z');
      expect(statuses()).toEqual([
        [keyIdOf('v3'), 'current'],
        [keyIdOf('v2'), 'previous'],
        [keyIdOf('v1'), 'previous'],
      ]);
    });

    it('drops the pending key of a rotation that never finished', async () => {
      await rotate('v1', '2026-01-01T00:00:00Z');
      await rotate('abandoned', '2026-01-31T00:00:00Z', ['createSecret', 'setSecret']);
      const abandoned = keyIdOf('abandoned');
      await rotate('v2', '2026-02-01T00:00:00Z');
      expect(statuses().map(([id]) => id)).not.toContain(abandoned);
      expect(statuses()).toEqual([
        [keyIdOf('v2'), 'current'],
        [keyIdOf('v1'), 'previous'],
      ]);
    });

    it('keeps the index the same when setSecret and finishSecret run again', async () => {
      await rotate('v1', '2026-01-01T00:00:00Z');
      await rotate('v2', '2026-01-31T00:00:00Z', ['createSecret', 'setSecret']);
      const pending = index();
      await step('setSecret', 'v2');
      expect(index()).toEqual(pending);
      for (const s of ['testSecret', 'finishSecret'] as const) await step(s, 'v2');
      const finished = index();
      await step('finishSecret', 'v2');
      expect(index()).toEqual(finished);
    });
  });

  describe('testSecret', () => {
    async function pendingOnly(): Promise<string> {
      await rotate('v1', '2026-01-01T00:00:00Z');
      await rotate('v2', '2026-01-31T00:00:00Z', ['createSecret', 'setSecret']);
      return keyIdOf('v2');
    }

    it('fails when the pending key’s public key is not published, leaving AWSCURRENT on the old key', async () => {
      const keyId = await pendingOnly();
      fake.objects.delete(publicKeyObjectKey(keyId));
      const error = await step('testSecret', 'v2').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RotationError);
      expect((error as RotationError).code).toBe('TEST_FAILED');
      expect((error as RotationError).message).toContain(
        'must be published before it becomes current',
      );
      expect(fake.versionWith('AWSCURRENT')).toBe('v1');
    });

    it('fails when another key is published under the pending key’s id', async () => {
      const keyId = await pendingOnly();
      fake.objects.set(
        publicKeyObjectKey(keyId),
        Buffer.from(parseSigningKey(fake.valueOf('v1')!).publicKeyPem),
      );
      await expect(step('testSecret', 'v2')).rejects.toMatchObject({ code: 'TEST_FAILED' });
    });

    it('fails when the pending value is not a signing key, without quoting it', async () => {
      await rotate('v1', '2026-01-01T00:00:00Z');
      fake.addVersion('v2', '{"keyId": "S3CRET-NOT-A-KEY"}', ['AWSPENDING']);
      const error = (await step('testSecret', 'v2').catch((e: unknown) => e)) as RotationError;
      expect(error.code).toBe('INVALID_SECRET_VALUE');
      expect(error.message).not.toContain('S3CRET-NOT-A-KEY');
    });
  });

  describe('when the published index is not an index', () => {
    it('fails setSecret with KEY_INDEX_INVALID rather than overwrite it', async () => {
      await rotate('v1', '2026-01-01T00:00:00Z');
      fake.objects.set(KEY_INDEX_KEY, Buffer.from('{"keys": [{"keyId": 1}]}'));
      fake.addVersion('v2', undefined, ['AWSPENDING']);
      await step('createSecret', 'v2');
      await expect(step('setSecret', 'v2')).rejects.toMatchObject({ code: 'KEY_INDEX_INVALID' });
    });
  });

  describe('facts', () => {
    it('gives a key’s id and creation time, and nothing of a placeholder', () => {
      expect(rotator.facts(PLACEHOLDER)).toEqual({});
      expect(rotator.facts('not json')).toEqual({});
    });
  });
});
