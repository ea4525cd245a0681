import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  ECRServiceException,
  type BatchGetImageCommandInput,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { EcrFleetLister, ecrHost } from '../../../shared/aws/ecr/fleet-lister';
import { AwsError } from '../../../shared/aws/errors';
import { readArtifactFixture } from '../../support/artifacts';

const ecr = mockClient(ECRClient);
const ACCOUNT = '123456789012';
const HOST = `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`;
const INDEX = 'application/vnd.oci.image.index.v1+json';
const digest = (c: string) => `sha256:${c.repeat(64)}`;

/** A manifest as ECR stores it: its JSON text, and what DescribeImages says of it. */
interface Stored {
  readonly digest: string;
  readonly tags?: string[];
  readonly manifest: string;
}

const fixture = (name: string) => readArtifactFixture(name).toString('utf8');
const imageManifest = fixture('image-oci');
const index = (...children: [string, { os: string; architecture: string }][]) =>
  JSON.stringify({
    schemaVersion: 2,
    mediaType: INDEX,
    manifests: children.map(([d, platform]) => ({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: d,
      size: 500,
      platform,
    })),
  });

/** ECR answering for `repositories` (name → its manifests), in pages of two images. */
function registry(repositories: Record<string, Stored[]>): void {
  const names = Object.keys(repositories);
  ecr
    .on(DescribeRepositoriesCommand)
    .resolves({
      repositories: names.slice(0, 1).map((repositoryName) => ({ repositoryName })),
      nextToken: 'r2',
    })
    .on(DescribeRepositoriesCommand, { nextToken: 'r2' })
    .resolves({ repositories: names.slice(1).map((repositoryName) => ({ repositoryName })) });
  for (const [name, stored] of Object.entries(repositories)) {
    const details = stored.map((s) => ({
      registryId: ACCOUNT,
      imageDigest: s.digest,
      ...(s.tags && { imageTags: s.tags }),
      imageManifestMediaType: (JSON.parse(s.manifest) as { mediaType?: string }).mediaType,
    }));
    ecr
      .on(DescribeImagesCommand, { repositoryName: name })
      .resolves({ imageDetails: details.slice(0, 2), nextToken: 'i2' })
      .on(DescribeImagesCommand, { repositoryName: name, nextToken: 'i2' })
      .resolves({ imageDetails: details.slice(2) });
  }
  ecr.on(BatchGetImageCommand).callsFake((input: BatchGetImageCommandInput) => ({
    images: (input.imageIds ?? []).flatMap(({ imageDigest }) => {
      const found = repositories[input.repositoryName!]?.find((s) => s.digest === imageDigest);
      return found === undefined
        ? []
        : [
            {
              imageId: { imageDigest },
              imageManifest: found.manifest,
              imageManifestMediaType: (JSON.parse(found.manifest) as { mediaType?: string })
                .mediaType,
            },
          ];
    }),
  }));
}

function lister(
  repositories: string[] = ['*'],
  extra: { registryId?: string; promotionRepository?: string } = {},
) {
  return new EcrFleetLister({
    client: new ECRClient({ region: 'eu-west-1' }),
    repositories,
    ...extra,
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

beforeEach(() => ecr.reset());

describe('EcrFleetLister', () => {
  describe('when repositories and images come in pages', () => {
    beforeEach(() =>
      registry({
        'team/web': [
          { digest: digest('a'), tags: ['v2', 'latest'], manifest: imageManifest },
          { digest: digest('b'), manifest: imageManifest },
        ],
        base: [{ digest: digest('c'), tags: ['12'], manifest: imageManifest }],
        'other/x': [{ digest: digest('d'), tags: ['1'], manifest: imageManifest }],
      }),
    );

    it('lists every image of the watched repositories, repositories in sort order', async () => {
      expect(await lister(['team/*', 'base']).list()).toEqual({
        images: [
          { registry: HOST, repository: 'base', digest: digest('c'), tag: '12' },
          { registry: HOST, repository: 'team/web', digest: digest('a'), tag: 'latest' },
          { registry: HOST, repository: 'team/web', digest: digest('b') },
        ],
        skipped: { artifacts: {}, promotionCopies: 0 },
      });
    });

    it('asks for tagged and untagged images alike', async () => {
      await lister(['base']).list();
      expect(ecr.commandCalls(DescribeImagesCommand)[0]!.args[0].input).toMatchObject({
        repositoryName: 'base',
        filter: { tagStatus: 'ANY' },
      });
    });

    it('reads every manifest, at most 100 a call, with every manifest type accepted', async () => {
      await lister(['team/*']).list();
      const [call] = ecr.commandCalls(BatchGetImageCommand);
      expect(call!.args[0].input).toMatchObject({
        repositoryName: 'team/web',
        imageIds: [{ imageDigest: digest('a') }, { imageDigest: digest('b') }],
        acceptedMediaTypes: expect.arrayContaining([
          INDEX,
          'application/vnd.docker.distribution.manifest.list.v2+json',
          'application/vnd.oci.image.manifest.v1+json',
          'application/vnd.docker.distribution.manifest.v2+json',
          'application/vnd.oci.artifact.manifest.v1+json',
        ]) as unknown,
      });
    });

    it('lists nothing when no repository matches', async () => {
      expect((await lister(['nothing/*']).list()).images).toEqual([]);
      expect(ecr.commandCalls(DescribeImagesCommand)).toHaveLength(0);
    });
  });

  describe('when a repository holds a multi-platform image', () => {
    beforeEach(() =>
      registry({
        app: [
          {
            digest: digest('0'),
            tags: ['1.0'],
            manifest: index(
              [digest('1'), { os: 'linux', architecture: 'amd64' }],
              [digest('2'), { os: 'linux', architecture: 'arm64' }],
              [digest('4'), { os: 'linux', architecture: 's390x' }],
            ),
          },
          { digest: digest('1'), manifest: imageManifest },
          { digest: digest('2'), manifest: imageManifest },
          { digest: digest('4'), tags: ['s390x-only'], manifest: imageManifest },
          { digest: digest('9'), manifest: imageManifest },
        ],
      }),
    );

    it('scans the index and leaves out its untagged platform manifests', async () => {
      const digests = (await lister().list()).images.map((t) => t.digest);
      expect(digests).toEqual([digest('0'), digest('4'), digest('9')]);
    });

    it('keeps an untagged image no index lists (an old digest a deployment may pin)', async () => {
      expect((await lister().list()).images).toContainEqual({
        registry: HOST,
        repository: 'app',
        digest: digest('9'),
      });
    });
  });

  describe('when repositories hold what is not an image', () => {
    const artifacts: Stored[] = [
      {
        digest: digest('1'),
        tags: [`sha256-${'0'.repeat(64)}.sig`],
        manifest: fixture('cosign-signature-tag'),
      },
      {
        digest: digest('2'),
        tags: [`sha256-${'0'.repeat(64)}.att`],
        manifest: fixture('cosign-attestation'),
      },
      { digest: digest('3'), manifest: fixture('clearance-verdict') },
      { digest: digest('4'), manifest: fixture('clearance-verdict') },
      { digest: digest('5'), tags: ['0.3.1'], manifest: fixture('helm-chart') },
      { digest: digest('6'), manifest: fixture('sbom-spdx-harbor') },
      { digest: digest('7'), manifest: fixture('notation-jws') },
      { digest: digest('8'), manifest: fixture('buildkit-attestation') },
    ];
    beforeEach(() =>
      registry({
        app: [{ digest: digest('0'), tags: ['1.0'], manifest: imageManifest }, ...artifacts],
      }),
    );

    it('lists only the image, and counts the artifacts by kind', async () => {
      const { images, skipped } = await lister().list();
      expect(images.map((i) => i.digest)).toEqual([digest('0')]);
      expect(skipped.artifacts).toEqual({
        'cosign-signature': 1,
        'cosign-attestation': 1,
        'clearance-verdict': 2,
        'helm-chart': 1,
        sbom: 1,
        'notation-signature': 1,
        'buildkit-attestation': 1,
      });
    });
  });

  describe('when a manifest cannot be read as one (Docker schema 1)', () => {
    it('keeps it as an item: its scan says why it cannot be checked, rather than the fleet forgetting it', async () => {
      registry({
        old: [{ digest: digest('e'), tags: ['2016'], manifest: fixture('docker-schema1') }],
      });
      expect((await lister().list()).images.map((i) => i.digest)).toEqual([digest('e')]);
    });
  });

  describe('when a promotion target is configured', () => {
    beforeEach(() =>
      registry({
        app: [{ digest: digest('a'), tags: ['1.0'], manifest: imageManifest }],
        releases: [
          { digest: digest('a'), tags: ['1.0'], manifest: imageManifest },
          { digest: digest('b'), tags: ['hotfix'], manifest: imageManifest },
        ],
      }),
    );

    it("leaves out the pipeline's copies of watched images, counted, and keeps what was pushed there directly", async () => {
      const { images, skipped } = await lister(['*'], { promotionRepository: 'releases' }).list();
      expect(images.map((i) => `${i.repository}@${i.digest}`)).toEqual([
        `app@${digest('a')}`,
        `releases@${digest('b')}`,
      ]);
      expect(skipped.promotionCopies).toBe(1);
    });
  });

  describe('when a registry id is configured', () => {
    it('lists that registry', async () => {
      registry({ app: [{ digest: digest('a'), tags: ['1'], manifest: imageManifest }] });
      ecr.on(DescribeImagesCommand).resolves({
        imageDetails: [{ registryId: '210987654321', imageDigest: digest('a'), imageTags: ['1'] }],
      });
      const {
        images: [target],
      } = await lister(['*'], { registryId: '210987654321' }).list();
      expect(target!.registry).toBe('210987654321.dkr.ecr.eu-west-1.amazonaws.com');
      expect(ecr.commandCalls(DescribeRepositoriesCommand)[0]!.args[0].input).toMatchObject({
        registryId: '210987654321',
      });
      expect(ecr.commandCalls(BatchGetImageCommand)[0]!.args[0].input).toMatchObject({
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

    it('fails naming the repository when a manifest cannot be read', async () => {
      registry({ app: [{ digest: digest('a'), tags: ['1'], manifest: imageManifest }] });
      ecr.on(BatchGetImageCommand).rejects(serviceError('ThrottlingException', 400));
      await expect(lister().list()).rejects.toMatchObject({
        kind: 'transient',
        message: expect.stringMatching(/ECR BatchGetImage on repository app/) as unknown,
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
