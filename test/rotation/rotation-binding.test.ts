import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { S3ObjectStore } from '../../shared/aws/s3/object-store';
import { SecretsManagerStore } from '../../shared/aws/secrets-manager/secret-store';
import { registryTokenRotator, verdictSigningKeyRotator } from '../../shared/rotation';
import { bindRotation } from '../../shared/rotation/rotation-binding';
import { FakeAuditLog } from '../support/fleet-ports';
import { FakeSecretsManager, SECRET_ARN } from '../support/secrets-manager';

const fake = new FakeSecretsManager();
const clock = () => new Date('2026-02-01T00:00:00Z');

function handler() {
  const keys = new S3ObjectStore({ client: new S3Client({ region: 'eu-west-1' }), bucket: 'b' });
  return bindRotation({
    store: new SecretsManagerStore({ client: new SecretsManagerClient({ region: 'eu-west-1' }) }),
    rotators: [verdictSigningKeyRotator({ store: keys, clock }), registryTokenRotator()],
    log: { info: () => undefined },
    clock,
    audit: new FakeAuditLog(),
  });
}

const event = (Step: string) => ({ SecretId: SECRET_ARN, ClientRequestToken: 'v1', Step });

describe('bindRotation', () => {
  beforeEach(() => {
    fake.reset('{"placeholder": "x"}', { 'clearance:rotator': 'verdict-signing-key' });
    fake.addVersion('v1', undefined, ['AWSPENDING']);
  });

  describe('when Secrets Manager invokes the four steps', () => {
    it('rotates the secret with the rotator its tag names', async () => {
      const handle = handler();
      for (const step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'])
        expect(await handle(event(step))).toEqual({
          step,
          rotator: 'verdict-signing-key',
          outcome: 'done',
        });
      expect(fake.versionWith('AWSCURRENT')).toBe('v1');
    });

    it('accepts a RotationToken and extra fields of newer events', async () => {
      const handle = handler();
      await handle({ ...event('createSecret'), RotationToken: 'rt-1', Extra: true });
      expect(fake.valueOf('v1')).toContain('"keyId"');
    });
  });

  describe('when the event is not a rotation event', () => {
    it.each([
      ['no step', { SecretId: SECRET_ARN, ClientRequestToken: 'v1' }, 'Step'],
      ['an unknown step', event('deleteSecret'), 'Step'],
      ['no token', { SecretId: SECRET_ARN, Step: 'createSecret' }, 'ClientRequestToken'],
      ['not an object', 'createSecret', '(root)'],
    ])('fails on %s, naming the field', async (_case, input, field) => {
      await expect(handler()(input)).rejects.toMatchObject({
        code: 'MALFORMED_EVENT',
        message: expect.stringContaining(field),
      });
    });
  });
});
