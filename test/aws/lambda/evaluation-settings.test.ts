import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  GetObjectCommand,
  S3Client,
  S3ServiceException,
  type GetObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { generateKeyPairSync } from 'node:crypto';
import {
  loadOnce,
  policyFromSource,
  signatureKeysFrom,
} from '../../../shared/aws/lambda/evaluation-settings';
import { DEFAULT_POLICY, parsePolicy } from '../../../shared/policy';

const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const POLICY = `name: payments
rules:
  - id: no-secrets
    expression: secrets.size() == 0
    message: secrets found
`;
const ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function body(text: string): GetObjectCommandOutput['Body'] {
  return {
    transformToString: () => Promise.resolve(text),
  } as unknown as GetObjectCommandOutput['Body'];
}

describe('policyFromSource', () => {
  const client = new S3Client({ region: 'eu-west-1' });
  beforeEach(() => s3.reset());

  describe('when it is default', () => {
    it('gives the bundled policy without calling S3', async () => {
      await expect(policyFromSource('default', client)).resolves.toEqual(
        parsePolicy(DEFAULT_POLICY, 'default'),
      );
      expect(s3.calls()).toHaveLength(0);
    });
  });

  describe('when it is an S3 object', () => {
    it('reads the object and parses it as a policy', async () => {
      s3.on(GetObjectCommand, { Bucket: 'policies', Key: 'teams/payments.yaml' }).resolves({
        Body: body(POLICY),
      });

      const policy = await policyFromSource('s3://policies/teams/payments.yaml', client);
      expect(policy).toEqual(parsePolicy(POLICY, 's3://policies/teams/payments.yaml'));
      expect(policy.name).toBe('payments');
    });
  });

  it('fails as input when the object is not there', async () => {
    s3.on(GetObjectCommand).rejects(
      new S3ServiceException({
        name: 'NoSuchKey',
        $fault: 'client',
        $metadata: { httpStatusCode: 404 },
        message: 'The specified key does not exist.',
      }),
    );

    await expect(policyFromSource('s3://policies/none.yaml', client)).rejects.toMatchObject({
      kind: 'input',
      message: expect.stringContaining('S3 GetObject on s3://policies/none.yaml failed: NoSuchKey'),
    });
  });

  it('fails when the value is neither default nor s3://bucket/key', async () => {
    await expect(policyFromSource('policy.yaml', client)).rejects.toMatchObject({
      code: 'MISCONFIGURED',
      message: expect.stringContaining('CLEARANCE_POLICY is "policy.yaml"'),
    });
  });
});

describe('signatureKeysFrom', () => {
  beforeEach(() => kms.reset());
  const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

  it('gives no keys when the list is unset or empty', async () => {
    const kmsFor = jest.fn(() => new KMSClient({}));
    await expect(signatureKeysFrom(undefined, kmsFor)).resolves.toEqual([]);
    await expect(signatureKeysFrom(' ', kmsFor)).resolves.toEqual([]);
    expect(kmsFor).not.toHaveBeenCalled();
  });

  it("reads each key's public half from KMS in the key's region", async () => {
    kms.on(GetPublicKeyCommand, { KeyId: ARN }).resolves({
      PublicKey: keys.publicKey.export({ format: 'der', type: 'spki' }),
    });
    const regions: (string | undefined)[] = [];

    const found = await signatureKeysFrom(`awskms://${ARN}, awskms:///${ARN}`, (region) => {
      regions.push(region);
      return new KMSClient({ region: region ?? 'eu-west-1' });
    });
    expect(found.map((k) => k.id)).toEqual([ARN, ARN]);
    expect(regions).toEqual(['eu-west-1', 'eu-west-1']);
  });

  it('fails when a key is not awskms://', async () => {
    await expect(signatureKeysFrom('cosign.pub', () => new KMSClient({}))).rejects.toMatchObject({
      code: 'MISCONFIGURED',
      message: expect.stringContaining('expected awskms://<key ARN>'),
    });
  });
});

describe('loadOnce', () => {
  it('loads once for every call', async () => {
    const load = jest.fn(() => Promise.resolve(42));
    const get = loadOnce(load);

    await expect(Promise.all([get(), get()])).resolves.toEqual([42, 42]);
    await get();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('loads again after a failure', async () => {
    const load = jest
      .fn<Promise<number>, []>()
      .mockRejectedValueOnce(new Error('throttled'))
      .mockResolvedValue(7);
    const get = loadOnce(load);

    await expect(get()).rejects.toThrow('throttled');
    await expect(get()).resolves.toBe(7);
    expect(load).toHaveBeenCalledTimes(2);
  });
});
