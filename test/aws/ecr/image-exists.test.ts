import { BatchGetImageCommand, ECRClient } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { ecrImageExists } from '../../../shared/aws/ecr';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const ecr = mockClient(ECRClient);
const client = new ECRClient({ region: 'eu-west-1' });

describe('ecrImageExists', () => {
  beforeEach(() => ecr.reset());

  it('is true while BatchGetImage still returns the image (only a tag was removed)', async () => {
    ecr
      .on(BatchGetImageCommand)
      .resolves({ images: [{ imageId: { imageDigest: DIGEST } }], failures: [] });
    await expect(ecrImageExists(client, 'team/app', DIGEST)).resolves.toBe(true);
    expect(ecr.commandCalls(BatchGetImageCommand)[0]!.args[0].input).toEqual({
      repositoryName: 'team/app',
      imageIds: [{ imageDigest: DIGEST }],
    });
  });

  it('is false when ECR answers ImageNotFound', async () => {
    ecr.on(BatchGetImageCommand).resolves({
      images: [],
      failures: [
        {
          imageId: { imageDigest: DIGEST },
          failureCode: 'ImageNotFound',
          failureReason: 'Requested image not found',
        },
      ],
    });
    await expect(ecrImageExists(client, 'team/app', DIGEST)).resolves.toBe(false);
  });

  it('throws on any other answer or error rather than guess', async () => {
    ecr.on(BatchGetImageCommand).resolves({
      images: [],
      failures: [
        { imageId: { imageDigest: DIGEST }, failureCode: 'KmsError', failureReason: 'denied' },
      ],
    });
    await expect(ecrImageExists(client, 'team/app', DIGEST)).rejects.toThrow(/KmsError/);
    ecr
      .on(BatchGetImageCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(ecrImageExists(client, 'team/app', DIGEST)).rejects.toThrow(/ECR BatchGetImage/);
  });
});
