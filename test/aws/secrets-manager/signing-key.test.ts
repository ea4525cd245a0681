import {
  GetSecretValueCommand,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { generateSigningKey, serializeSigningKey } from '../../../shared/attest';
import {
  SecretsManagerSigningKey,
  SIGNING_KEY_CACHE_MS,
} from '../../../shared/aws/secrets-manager/signing-key';

const secrets = mockClient(SecretsManagerClient);
const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:clearance-signing-AbCdEf';
const key = generateSigningKey();

function source(now: () => number = () => 0) {
  return new SecretsManagerSigningKey({
    client: new SecretsManagerClient({}),
    secretId: SECRET,
    now,
  });
}

beforeEach(() => {
  secrets.reset();
  secrets.on(GetSecretValueCommand).resolves({ SecretString: serializeSigningKey(key) });
});

describe('SecretsManagerSigningKey', () => {
  it('reads the AWSCURRENT value and parses it as the signing key', async () => {
    expect(await source().current()).toEqual(key);
    expect(secrets.commandCalls(GetSecretValueCommand)[0]!.args[0].input).toEqual({
      SecretId: SECRET,
      VersionStage: 'AWSCURRENT',
    });
  });

  describe('when used again', () => {
    it('uses the cached key within the hour, and reads the secret again after it', async () => {
      let now = 0;
      const keys = source(() => now);
      await keys.current();
      now = SIGNING_KEY_CACHE_MS - 1;
      await keys.current();
      expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
      const rotated = generateSigningKey();
      secrets.on(GetSecretValueCommand).resolves({ SecretString: serializeSigningKey(rotated) });
      now = SIGNING_KEY_CACHE_MS;
      expect((await keys.current()).keyId).toBe(rotated.keyId);
    });
  });

  it('fails, transient, while the secret holds the placeholder of its creation', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '{"placeholder":"Zx81kq"}' });
    await expect(source().current()).rejects.toMatchObject({
      code: 'KEY_INVALID',
      kind: 'transient',
      message: expect.stringContaining('first rotation has not finished'),
    });
  });

  it('fails, input, when the value is not a signing key, without echoing it', async () => {
    const broken = serializeSigningKey({ ...key, keyId: 'f'.repeat(64) });
    secrets.on(GetSecretValueCommand).resolves({ SecretString: broken });
    const failure = source().current();
    await expect(failure).rejects.toMatchObject({ code: 'KEY_INVALID', kind: 'input' });
    await expect(failure).rejects.not.toMatchObject({
      message: expect.stringContaining('PRIVATE KEY'),
    });
  });

  it('fails, as AWS_REQUEST_FAILED, when the role may not read the secret', async () => {
    secrets.on(GetSecretValueCommand).rejects(
      new SecretsManagerServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'not authorized',
      }),
    );
    await expect(source().current()).rejects.toMatchObject({
      code: 'AWS_REQUEST_FAILED',
      kind: 'input',
    });
  });
});
