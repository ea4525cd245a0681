import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  ECRServiceException,
  type ImageDetail,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { EcrFleetLister, ecrHost } from '../../shared/aws/ecr-fleet-lister';
import { AwsError } from '../../shared/aws/errors';

const ecr = mockClient(ECRClient);
const ACCOUNT = '123456789012';
const HOST = `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`;
const INDEX = 'application/vnd.oci.image.index.v1+json';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const digest = (c: string) => `sha256:${c.repeat(64)}`;

function image(c: string, tags: string[] = [], mediaType = MANIFEST): ImageDetail {
  return {
    registryId: ACCOUNT,
    imageDigest: digest(c),
    ...(tags.length > 0 && { imageTags: tags }),
    imageManifestMediaType: mediaType,
  };
}

function lister(repositories: string[] = ['*'], registryId?: string): EcrFleetLister {
  return new EcrFleetLister({
    client: new ECRClient({ region: 'eu-west-1' }),
    repositories,
    ...(registryId !== undefined && { registryId }),
  });
}

function serviceError(name: string, status: number): ECRServiceException {
  return new ECRServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: `${name} happened`,
  });
}

beforeEach(() => {
  ecr.reset();
  ecr.on(BatchGetImageCommand).resolves({ images: [] });
});

describe('EcrFleetLister', () => {
  describe('when repositories and images come in pages', () => {
    beforeEach(() => {
      ecr
        .on(DescribeRepositoriesCommand)
        .resolves({ repositories: [{ repositoryName: 'team/web' }], nextToken: 'r2' })
        .on(DescribeRepositoriesCommand, { nextToken: 'r2' })
        .resolves({ repositories: [{ repositoryName: 'base' }, { repositoryName: 'other/x' }] });
      ecr
        .on(DescribeImagesCommand, { repositoryName: 'team/web' })
        .resolves({ imageDetails: [image('a', ['v2', 'latest'])], nextToken: 'i2' })
        .on(DescribeImagesCommand, { repositoryName: 'team/web', nextToken: 'i2' })
        .resolves({ imageDetails: [image('b')] })
        .on(DescribeImagesCommand, { repositoryName: 'base' })
        .resolves({ imageDetails: [image('c', ['12'])] });
    });

    it('lists every image of the watched repositories, repositories in sort order', async () => {
      expect(await lister(['team/*', 'base']).list()).toEqual([
        { registry: HOST, repository: 'base', digest: digest('c'), tag: '12' },
        { registry: HOST, repository: 'team/web', digest: digest('a'), tag: 'latest' },
        { registry: HOST, repository: 'team/web', digest: digest('b') },
      ]);
      expect(ecr.commandCalls(DescribeImagesCommand)).toHaveLength(3);
    });

    it('asks for tagged and untagged images alike', async () => {
      await lister(['base']).list();
      expect(ecr.commandCalls(DescribeImagesCommand)[0]!.args[0].input).toMatchObject({
        repositoryName: 'base',
        filter: { tagStatus: 'ANY' },
      });
    });

    it('lists nothing when no repository matches', async () => {
      expect(await lister(['nothing/*']).list()).toEqual([]);
      expect(ecr.commandCalls(DescribeImagesCommand)).toHaveLength(0);
    });
  });

  describe('when a repository holds a multi-platform image', () => {
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: INDEX,
      manifests: [
        { digest: digest('1'), platform: { os: 'linux', architecture: 'amd64' } },
        { digest: digest('2'), platform: { os: 'linux', architecture: 'arm64' } },
        { digest: digest('3'), platform: { os: 'unknown', architecture: 'unknown' } },
        { digest: digest('4'), platform: { os: 'linux', architecture: 's390x' } },
      ],
    });

    beforeEach(() => {
      ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: 'app' }] });
      ecr.on(DescribeImagesCommand).resolves({
        imageDetails: [
          image('0', ['1.0'], INDEX),
          image('1'),
          image('2'),
          image('3'),
          image('4', ['s390x-only']),
          image('9'),
        ],
      });
      ecr.on(BatchGetImageCommand).resolves({ images: [{ imageManifest: index }] });
    });

    it('scans the index and leaves out its untagged platform and attestation manifests', async () => {
      const digests = (await lister().list()).map((t) => t.digest);
      expect(digests).toEqual([digest('0'), digest('4'), digest('9')]);
    });

    it('keeps an untagged image no index lists (an old digest a deployment may pin)', async () => {
      expect(await lister().list()).toContainEqual({
        registry: HOST,
        repository: 'app',
        digest: digest('9'),
      });
    });

    it('reads the indexes with their media types accepted', async () => {
      await lister().list();
      expect(ecr.commandCalls(BatchGetImageCommand)[0]!.args[0].input).toMatchObject({
        repositoryName: 'app',
        imageIds: [{ imageDigest: digest('0') }],
        acceptedMediaTypes: expect.arrayContaining([
          INDEX,
          'application/vnd.docker.distribution.manifest.list.v2+json',
        ]) as unknown,
      });
    });
  });

  describe('when a registry id is configured', () => {
    it('lists that registry', async () => {
      ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: 'app' }] });
      ecr.on(DescribeImagesCommand).resolves({
        imageDetails: [{ ...image('a', ['1']), registryId: '210987654321' }],
      });
      const [target] = await lister(['*'], '210987654321').list();
      expect(target!.registry).toBe('210987654321.dkr.ecr.eu-west-1.amazonaws.com');
      expect(ecr.commandCalls(DescribeRepositoriesCommand)[0]!.args[0].input).toEqual({
        registryId: '210987654321',
      });
      expect(ecr.commandCalls(DescribeImagesCommand)[0]!.args[0].input).toMatchObject({
        registryId: '210987654321',
      });
    });
  });

  describe('failures', () => {
    it('fails with a transient AwsError when ECR throttles', async () => {
      ecr.on(DescribeRepositoriesCommand).rejects(serviceError('ThrottlingException', 400));
      const error = await lister()
        .list()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AwsError);
      expect(error).toMatchObject({ code: 'AWS_REQUEST_FAILED', kind: 'transient' });
      expect((error as Error).message).toMatch(/^ECR DescribeRepositories on the default registry/);
    });

    it('fails with an input AwsError naming the repository when access is denied', async () => {
      ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: 'app' }] });
      ecr.on(DescribeImagesCommand).rejects(serviceError('AccessDeniedException', 400));
      await expect(lister().list()).rejects.toMatchObject({
        kind: 'input',
        message: expect.stringMatching(/ECR DescribeImages on repository app failed/) as unknown,
      });
    });
  });
});

describe('ecrHost', () => {
  it.each([
    ['eu-west-1', HOST],
    ['cn-north-1', `${ACCOUNT}.dkr.ecr.cn-north-1.amazonaws.com.cn`],
  ])('names the registry of %s', (region, host) => {
    expect(ecrHost(ACCOUNT, region)).toBe(host);
  });
});
