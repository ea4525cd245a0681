import { S3Client } from '@aws-sdk/client-s3';
import {
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { S3ObjectStore } from '../../shared/aws/s3/object-store';
import { SecretsManagerStore } from '../../shared/aws/secrets-manager/secret-store';
import {
  ROTATION_STEPS,
  RotationError,
  rotateSecret,
  verdictSigningKeyRotator,
  type RotationDeps,
  type RotationStep,
  type Rotator,
} from '../../shared/rotation';
import { FakeAuditLog } from '../support/fleet-ports';
import { FakeSecretsManager, SECRET_ARN } from '../support/secrets-manager';

const fake = new FakeSecretsManager();
const NOW = new Date('2026-03-01T12:00:00.000Z');
const PLACEHOLDER = JSON.stringify({ placeholder: 'Zq8sWc1rLr0aPn7Kx2' });
const TAGS = { 'clearance:rotator': 'verdict-signing-key' };

/** Every log line, as JSON, to grep for secret values. */
class CapturingLog {
  readonly lines: string[] = [];
  info(message: string, ...attributes: Record<string, unknown>[]): void {
    this.lines.push(JSON.stringify([message, ...attributes]));
  }
}

interface Harness {
  readonly deps: RotationDeps;
  readonly log: CapturingLog;
  readonly audit: FakeAuditLog;
  step(step: RotationStep, token?: string): ReturnType<typeof rotateSecret>;
  rotate(token: string): Promise<void>;
}

function harness(rotators?: readonly Rotator[]): Harness {
  const log = new CapturingLog();
  const audit = new FakeAuditLog();
  const keys = new S3ObjectStore({
    client: new S3Client({ region: 'eu-west-1' }),
    bucket: 'artifacts',
  });
  const deps: RotationDeps = {
    store: new SecretsManagerStore({ client: new SecretsManagerClient({ region: 'eu-west-1' }) }),
    rotators: rotators ?? [verdictSigningKeyRotator({ store: keys, clock: () => NOW })],
    log,
    clock: () => NOW,
    audit,
  };
  const step = (s: RotationStep, token = 'v1') =>
    rotateSecret({ secretId: SECRET_ARN, token, step: s }, deps);
  return {
    deps,
    log,
    audit,
    step,
    async rotate(token) {
      fake.addVersion(token, undefined, ['AWSPENDING']);
      for (const s of ROTATION_STEPS) await step(s, token);
    },
  };
}

/** The secret's labels: version id → sorted stages. */
function labels(): Record<string, string[]> {
  return Object.fromEntries([...fake.secret.versions].map(([id, v]) => [id, [...v.stages].sort()]));
}

async function refusal(promise: Promise<unknown>): Promise<RotationError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RotationError);
  return error as RotationError;
}

describe('rotateSecret', () => {
  beforeEach(() => {
    fake.reset(PLACEHOLDER, TAGS);
    fake.addVersion('v1', undefined, ['AWSPENDING']);
  });

  describe('when the four steps run in order', () => {
    it('makes the new version AWSCURRENT, the old one AWSPREVIOUS, and leaves no AWSPENDING', async () => {
      const h = harness();
      for (const s of ROTATION_STEPS) expect((await h.step(s)).outcome).toBe('done');
      expect(labels()).toEqual({ v0: ['AWSPREVIOUS'], v1: ['AWSCURRENT'] });
      expect(JSON.parse(fake.valueOf('v1')!)).toMatchObject({
        keyId: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    });

    it('stores the pending value under the token with AWSPENDING, once', async () => {
      const h = harness();
      await h.step('createSecret');
      const puts = fake.sm.commandCalls(PutSecretValueCommand).map((c) => c.args[0].input);
      expect(puts).toEqual([
        expect.objectContaining({
          SecretId: SECRET_ARN,
          ClientRequestToken: 'v1',
          VersionStages: ['AWSPENDING'],
        }),
      ]);
    });

    it('passes the RotationToken Secrets Manager sent on to PutSecretValue', async () => {
      const h = harness();
      await rotateSecret(
        { secretId: SECRET_ARN, token: 'v1', step: 'createSecret', rotationToken: 'rt-1' },
        h.deps,
      );
      const [put] = fake.sm.commandCalls(PutSecretValueCommand);
      expect(put!.args[0].input.RotationToken).toBe('rt-1');
    });

    it('records one secret.rotated event naming the versions and the key id, not the key', async () => {
      const h = harness();
      for (const s of ROTATION_STEPS) await h.step(s);
      expect(h.audit.events).toEqual([
        {
          id: `${SECRET_ARN}#v1:secret.rotated`,
          type: 'secret.rotated',
          time: NOW.toISOString(),
          actor: 'secretsmanager.amazonaws.com',
          details: {
            outcome: 'rotated',
            secretArn: SECRET_ARN,
            secretName: 'clearance/signing',
            rotator: 'verdict-signing-key',
            versionId: 'v1',
            previousVersionId: 'v0',
            facts: { keyId: expect.stringMatching(/^[0-9a-f]{64}$/), createdAt: NOW.toISOString() },
          },
          versions: {},
        },
      ]);
      expect(JSON.stringify(h.audit.events)).not.toContain('PRIVATE KEY');
    });
  });

  describe('when every step is run twice', () => {
    it('does each step once: one value, one move, the same labels and value', async () => {
      const h = harness();
      for (const s of ROTATION_STEPS) {
        await h.step(s);
        await h.step(s);
      }
      expect(labels()).toEqual({ v0: ['AWSPREVIOUS'], v1: ['AWSCURRENT'] });
      expect(fake.sm.commandCalls(PutSecretValueCommand)).toHaveLength(1);
      expect(fake.sm.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(2);
      expect(h.audit.events).toHaveLength(1);
    });

    it('keeps the first pending value when createSecret runs again', async () => {
      const h = harness();
      await h.step('createSecret');
      const first = fake.valueOf('v1');
      expect((await h.step('createSecret')).outcome).toBe('done');
      expect(fake.valueOf('v1')).toBe(first);
    });

    it('answers already-current to every step once the rotation finished', async () => {
      const h = harness();
      for (const s of ROTATION_STEPS) await h.step(s);
      const moves = fake.sm.commandCalls(UpdateSecretVersionStageCommand).length;
      for (const s of ROTATION_STEPS) expect((await h.step(s)).outcome).toBe('already-current');
      expect(fake.sm.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(moves);
    });
  });

  describe('when finishSecret stopped after moving AWSCURRENT', () => {
    it('removes the AWSPENDING left on the token when run again', async () => {
      const h = harness();
      for (const s of ROTATION_STEPS.slice(0, 3)) await h.step(s);
      await h.deps.store.updateSecretVersionStage(SECRET_ARN, 'AWSCURRENT', {
        moveTo: 'v1',
        removeFrom: 'v0',
      });
      expect(labels().v1).toEqual(['AWSCURRENT', 'AWSPENDING']);
      expect((await h.step('finishSecret')).outcome).toBe('already-current');
      expect(labels()).toEqual({ v0: ['AWSPREVIOUS'], v1: ['AWSCURRENT'] });
      expect(h.audit.events).toHaveLength(1);
    });
  });

  describe('when testSecret fails', () => {
    const failing: Rotator = {
      kind: 'verdict-signing-key',
      create: () => Promise.resolve('{"new": "S3cr3t-pending-value"}'),
      set: () => Promise.resolve(),
      test: () =>
        Promise.reject(new RotationError('TEST_FAILED', 'the pending value does not work')),
      facts: () => ({}),
    };

    it('fails, leaving AWSCURRENT on the old version and the value in use unchanged', async () => {
      const h = harness([failing]);
      await h.step('createSecret');
      await h.step('setSecret');
      expect((await refusal(h.step('testSecret'))).code).toBe('TEST_FAILED');
      expect(labels()).toEqual({ v0: ['AWSCURRENT'], v1: ['AWSPENDING'] });
      expect(fake.sm.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(0);
      const current = await h.deps.store.getSecretValue(SECRET_ARN, { stage: 'AWSCURRENT' });
      expect(current?.value).toBe(PLACEHOLDER);
    });
  });

  describe('when the request cannot be served', () => {
    it('fails when the token is staged neither AWSPENDING nor AWSCURRENT', async () => {
      const h = harness();
      await h.rotate('v1');
      await h.rotate('v2');
      // v0 lost every label when v2 became current and v1 took AWSPREVIOUS.
      for (const token of ['v0', 'v1']) {
        const error = await refusal(h.step('createSecret', token));
        expect(error.code).toBe('TOKEN_NOT_PENDING');
        expect(error.message).toContain(`version ${token}`);
      }
    });

    it('fails when the token names no version of the secret', async () => {
      expect((await refusal(harness().step('setSecret', 'v9'))).code).toBe('TOKEN_NOT_STAGED');
    });

    it('fails when rotation is not enabled, before any change', async () => {
      fake.secret.rotationEnabled = false;
      const error = await refusal(harness().step('createSecret'));
      expect(error.code).toBe('ROTATION_NOT_ENABLED');
      expect(fake.sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
    });

    it('fails when the secret names no rotator this function has', async () => {
      fake.secret.tags = { 'clearance:rotator': 'database-password' };
      const error = await refusal(harness().step('createSecret'));
      expect(error.code).toBe('UNKNOWN_ROTATOR');
      expect(error.message).toContain('"database-password"');
    });

    it('fails when setSecret runs before createSecret stored a pending value', async () => {
      expect((await refusal(harness().step('setSecret'))).code).toBe('PENDING_MISSING');
    });

    it.each([
      ['createSecret', 'NO_CURRENT_VERSION'],
      ['setSecret', 'NO_CURRENT_VERSION'],
      ['testSecret', 'PENDING_MISSING'],
      ['finishSecret', 'PENDING_MISSING'],
    ] as const)(
      'fails %s on a secret with neither a current nor a pending value (%s)',
      async (s, code) => {
        fake.secret.versions.delete('v0');
        expect((await refusal(harness().step(s))).code).toBe(code);
        expect(fake.sm.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(0);
      },
    );
  });

  describe('logs', () => {
    it('never contain a secret value, of any version, in any step', async () => {
      const h = harness();
      await h.rotate('v1');
      await h.rotate('v2');
      for (const s of ROTATION_STEPS) await h.step(s, 'v2');
      const logs = h.log.lines.join('\n');
      expect(h.log.lines.length).toBeGreaterThan(8);
      expect(logs).not.toContain('PRIVATE KEY');
      expect(logs).not.toContain(PLACEHOLDER);
      for (const version of ['v1', 'v2']) {
        const { privateKeyPem } = JSON.parse(fake.valueOf(version)!) as { privateKeyPem: string };
        const body = privateKeyPem.split('\n')[1]!;
        expect(logs).not.toContain(body);
      }
      expect(logs).toContain('"keyId"');
    });
  });
});
