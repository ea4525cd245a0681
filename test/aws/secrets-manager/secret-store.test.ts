import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  SecretsManagerServiceException,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsError } from '../../../shared/aws/errors';
import { SecretsManagerStore } from '../../../shared/aws/secrets-manager/secret-store';

const sm = mockClient(SecretsManagerClient);
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:clearance/signing-AbCdEf';
const VALUE = '{"privateKeyPem": "-----BEGIN PRIVATE KEY-----S3CRET"}';

function serviceError(name: string, status: number): SecretsManagerServiceException {
  return new SecretsManagerServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: `${name} happened`,
  });
}

async function failure(promise: Promise<unknown>): Promise<AwsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AwsError);
  return error as AwsError;
}

describe('SecretsManagerStore', () => {
  const store = () =>
    new SecretsManagerStore({ client: new SecretsManagerClient({ region: 'eu-west-1' }) });

  beforeEach(() => {
    sm.reset();
  });

  describe('describeSecret', () => {
    it('gives the ARN, name, rotation switch, versions’ stages and tags', async () => {
      sm.on(DescribeSecretCommand).resolves({
        ARN,
        Name: 'clearance/signing',
        RotationEnabled: true,
        VersionIdsToStages: { v0: ['AWSCURRENT'], v1: ['AWSPENDING'] },
        Tags: [{ Key: 'clearance:rotator', Value: 'verdict-signing-key' }],
      });
      expect(await store().describeSecret('clearance/signing')).toEqual({
        arn: ARN,
        name: 'clearance/signing',
        rotationEnabled: true,
        versions: { v0: ['AWSCURRENT'], v1: ['AWSPENDING'] },
        tags: { 'clearance:rotator': 'verdict-signing-key' },
      });
    });

    it('reads a secret without RotationEnabled, versions or tags as not rotating, with none', async () => {
      sm.on(DescribeSecretCommand).resolves({ ARN, Name: 'n' });
      expect(await store().describeSecret(ARN)).toMatchObject({
        rotationEnabled: false,
        versions: {},
        tags: {},
      });
    });

    it('fails as input when the secret does not exist', async () => {
      sm.on(DescribeSecretCommand).rejects(
        new ResourceNotFoundException({ $metadata: { httpStatusCode: 400 }, message: 'gone' }),
      );
      const error = await failure(store().describeSecret(ARN));
      expect(error).toMatchObject({ code: 'AWS_REQUEST_FAILED', kind: 'input' });
      expect(error.message).toContain(`Secrets Manager DescribeSecret on ${ARN} failed`);
    });
  });

  describe('getSecretValue', () => {
    it('asks by VersionId and VersionStage and gives the version', async () => {
      sm.on(GetSecretValueCommand).resolves({
        VersionId: 'v1',
        SecretString: VALUE,
        VersionStages: ['AWSPENDING'],
      });
      expect(await store().getSecretValue(ARN, { versionId: 'v1', stage: 'AWSPENDING' })).toEqual({
        versionId: 'v1',
        value: VALUE,
        stages: ['AWSPENDING'],
      });
      expect(sm.commandCalls(GetSecretValueCommand)[0]!.args[0].input).toEqual({
        SecretId: ARN,
        VersionId: 'v1',
        VersionStage: 'AWSPENDING',
      });
    });

    it('gives undefined when no version matches', async () => {
      sm.on(GetSecretValueCommand).rejects(
        new ResourceNotFoundException({ $metadata: { httpStatusCode: 400 }, message: 'none' }),
      );
      expect(await store().getSecretValue(ARN, { versionId: 'v9' })).toBeUndefined();
    });

    it('fails on a binary secret: rotation works on strings', async () => {
      sm.on(GetSecretValueCommand).resolves({ VersionId: 'v0', SecretBinary: new Uint8Array(3) });
      expect(await failure(store().getSecretValue(ARN, {}))).toMatchObject({
        code: 'INVALID_STORED_ITEM',
      });
    });

    it.each([
      ['ThrottlingException', 400, 'transient'],
      ['InternalServiceError', 500, 'transient'],
      ['AccessDeniedException', 400, 'input'],
      ['DecryptionFailure', 400, 'input'],
    ] as const)('classes %s as %s', async (name, status, kind) => {
      sm.on(GetSecretValueCommand).rejects(serviceError(name, status));
      expect(await failure(store().getSecretValue(ARN, { stage: 'AWSCURRENT' }))).toMatchObject({
        code: 'AWS_REQUEST_FAILED',
        kind,
      });
    });
  });

  describe('putSecretValue', () => {
    it('stores the value under the token with its stages and the rotation token', async () => {
      sm.on(PutSecretValueCommand).resolves({});
      await store().putSecretValue(ARN, 'v1', VALUE, ['AWSPENDING'], { rotationToken: 'rt' });
      expect(sm.commandCalls(PutSecretValueCommand)[0]!.args[0].input).toEqual({
        SecretId: ARN,
        ClientRequestToken: 'v1',
        SecretString: VALUE,
        VersionStages: ['AWSPENDING'],
        RotationToken: 'rt',
      });
    });

    it('fails without the value in its message', async () => {
      sm.on(PutSecretValueCommand).rejects(serviceError('LimitExceededException', 400));
      const error = await failure(store().putSecretValue(ARN, 'v1', VALUE, ['AWSPENDING']));
      expect(error.message).not.toContain('S3CRET');
    });
  });

  describe('updateSecretVersionStage', () => {
    it('moves a stage from one version to another', async () => {
      sm.on(UpdateSecretVersionStageCommand).resolves({});
      await store().updateSecretVersionStage(ARN, 'AWSCURRENT', { moveTo: 'v1', removeFrom: 'v0' });
      expect(sm.commandCalls(UpdateSecretVersionStageCommand)[0]!.args[0].input).toEqual({
        SecretId: ARN,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: 'v1',
        RemoveFromVersionId: 'v0',
      });
    });

    it('classes a refused move (InvalidParameterException: our request was wrong) as a bug', async () => {
      sm.on(UpdateSecretVersionStageCommand).rejects(
        serviceError('InvalidParameterException', 400),
      );
      expect(
        await failure(store().updateSecretVersionStage(ARN, 'AWSPENDING', { removeFrom: 'v1' })),
      ).toMatchObject({ kind: 'bug' });
    });
  });
});
