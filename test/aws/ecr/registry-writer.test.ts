import {
  BatchCheckLayerAvailabilityCommand,
  BatchGetImageCommand,
  CompleteLayerUploadCommand,
  ECRClient,
  ECRServiceException,
  ImageAlreadyExistsException,
  ImageTagAlreadyExistsException,
  LayersNotFoundException,
  PutImageCommand,
  UploadLayerPartCommand,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import type { BlobRef } from '../../../shared/aws/ecr/blob-copy';
import {
  ECR_ACCEPTED_MEDIA_TYPES,
  EcrRegistryWriter,
} from '../../../shared/aws/ecr/registry-writer';
import { AwsError } from '../../../shared/aws/errors';
import type { ImageTarget } from '../../../shared/pipeline/states';
import {
  MiB,
  answerBlobCalls,
  blobBytes,
  digestOf,
  startBlobServer,
  uploadedBytes,
  type BlobServer,
} from '../../support/ecr-blob-store';

const ecr = mockClient(ECRClient);
const ACCOUNT = '123456789012';
const HOST = `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`;
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';

/** Manifest bytes no serialiser would produce: odd spacing, key order, a trailing newline. */
const CONFIG_DIGEST = `sha256:${'c'.repeat(64)}`;
const MANIFEST = `{"schemaVersion":2,  "mediaType":"${OCI_MANIFEST}",\n "config":{"mediaType":"${OCI_CONFIG}","size":2,"digest":"${CONFIG_DIGEST}"},"layers":[]}\n`;
const DIGEST = digestOf(MANIFEST);
const FROM: ImageTarget = {
  registry: HOST,
  repository: 'payments/api',
  digest: DIGEST,
  tag: '1.4.2',
};

function serviceError(name: string, status = 400): ECRServiceException {
  return new ECRServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: `${name} happened`,
  });
}

function stored(manifest: string, mediaType = OCI_MANIFEST) {
  return {
    images: [
      {
        registryId: ACCOUNT,
        repositoryName: 'payments/api',
        imageId: { imageDigest: digestOf(manifest) },
        imageManifest: manifest,
        imageManifestMediaType: mediaType,
      },
    ],
    failures: [],
  };
}

/** An image manifest naming these blobs: the first is the config, the rest layers. */
function manifestOf(config: BlobRef, ...layers: (BlobRef & { mediaType?: string })[]): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, digest: config.digest, size: config.size },
    layers: layers.map(({ digest, size, mediaType = OCI_LAYER }) => ({ mediaType, digest, size })),
  });
}

describe('EcrRegistryWriter', () => {
  let server: BlobServer;
  beforeAll(async () => {
    server = await startBlobServer();
  });
  afterAll(() => server.stop());

  const writer = (region = 'eu-west-1') =>
    new EcrRegistryWriter({ client: new ECRClient({ region }) });
  const puts = () => ecr.commandCalls(PutImageCommand).map((c) => c.args[0].input);
  /** The ECR calls made, by name, in order. */
  const sequence = () =>
    ecr.calls().map((c) => (c.args[0] as object).constructor.name.replace(/Command$/, ''));
  const completed = () =>
    ecr.commandCalls(CompleteLayerUploadCommand).flatMap((c) => c.args[0].input.layerDigests);
  /** A blob served at its download URL, as a descriptor names it. */
  const serve = (bytes: Buffer) => {
    server.blobs.set(digestOf(bytes), { bytes });
    return { digest: digestOf(bytes), size: bytes.length };
  };

  beforeEach(() => {
    ecr.reset();
    server.blobs.clear();
    server.requests.length = 0;
    ecr.on(BatchGetImageCommand).resolves(stored(MANIFEST));
    ecr.on(PutImageCommand).resolves({});
    answerBlobCalls(ecr, server, { available: [CONFIG_DIGEST] });
  });

  describe('when the image is in the repository', () => {
    it('reads its manifest by digest, accepting every manifest type', async () => {
      await writer().copy(FROM, { repository: 'release/api', tag: '1.4.2' });
      expect(ecr.commandCalls(BatchGetImageCommand).map((c) => c.args[0].input)).toEqual([
        {
          registryId: ACCOUNT,
          repositoryName: 'payments/api',
          imageIds: [{ imageDigest: DIGEST }],
          acceptedMediaTypes: [...ECR_ACCEPTED_MEDIA_TYPES],
        },
      ]);
      expect(ECR_ACCEPTED_MEDIA_TYPES).toEqual(
        expect.arrayContaining([
          OCI_MANIFEST,
          OCI_INDEX,
          'application/vnd.docker.distribution.manifest.v2+json',
          'application/vnd.docker.distribution.manifest.list.v2+json',
          'application/vnd.docker.distribution.manifest.v1+json',
        ]),
      );
    });

    it('puts the exact manifest bytes under the tag, with their media type and digest', async () => {
      await writer().copy(FROM, { repository: 'release/api', tag: 'release-1.4.2' });
      expect(puts()).toEqual([
        {
          registryId: ACCOUNT,
          repositoryName: 'release/api',
          imageManifest: MANIFEST,
          imageManifestMediaType: OCI_MANIFEST,
          imageDigest: DIGEST,
          imageTag: 'release-1.4.2',
        },
      ]);
    });

    it('succeeds when the tag already names that image (ImageAlreadyExistsException)', async () => {
      ecr.on(PutImageCommand).rejects(
        new ImageAlreadyExistsException({
          $metadata: { httpStatusCode: 400 },
          message: 'exists',
        }),
      );
      await expect(
        writer().copy(FROM, { repository: 'payments/api', tag: 'quarantine-1' }),
      ).resolves.toBeUndefined();
      expect(puts()).toHaveLength(1);
    });
  });

  describe('when the image goes to another repository', () => {
    it('copies the blobs the target lacks, then puts the image', async () => {
      const config = serve(Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{}}'));
      const big = serve(blobBytes(12 * MiB));
      const there = serve(blobBytes(1000, 'there'));
      const manifest = manifestOf(config, there, big);
      ecr.on(BatchGetImageCommand).resolves(stored(manifest));
      answerBlobCalls(ecr, server, { available: [there.digest] });

      await writer().copy(
        { ...FROM, digest: digestOf(manifest) },
        { repository: 'release/api', tag: '1.4.2' },
      );
      expect(
        ecr.commandCalls(BatchCheckLayerAvailabilityCommand).map((c) => c.args[0].input),
      ).toEqual([
        {
          registryId: ACCOUNT,
          repositoryName: 'release/api',
          layerDigests: [config.digest, there.digest, big.digest],
        },
      ]);
      expect(completed().sort()).toEqual([config.digest, big.digest].sort());
      const uploads = [...uploadedBytes(ecr).values()].map((bytes) => digestOf(bytes));
      expect(uploads.sort()).toEqual([config.digest, big.digest].sort());
      expect(ecr.commandCalls(UploadLayerPartCommand)).toHaveLength(1 + 3);
      expect(sequence().at(-1)).toBe('PutImage');
      expect(sequence().filter((name) => name === 'PutImage')).toHaveLength(1);
      expect(puts()[0]).toMatchObject({ repositoryName: 'release/api', imageManifest: manifest });
      expect(server.requests).toHaveLength(2);
      for (const request of server.requests)
        expect(request.headers).not.toHaveProperty('authorization');
    });

    it('checks no blob when tagging within the repository', async () => {
      await writer().copy(FROM, { repository: 'payments/api', tag: 'quarantine-1.4.2' });
      expect(sequence()).toEqual(['BatchGetImage', 'PutImage']);
    });

    it('leaves out layers that may not be distributed', async () => {
      const config = serve(Buffer.from('{}'));
      const foreign = {
        digest: digestOf('windows base'),
        size: 12,
        mediaType: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
      };
      const manifest = manifestOf(config, foreign);
      ecr.on(BatchGetImageCommand).resolves(stored(manifest));
      await writer().copy(
        { ...FROM, digest: digestOf(manifest) },
        { repository: 'release/api', tag: 'x' },
      );
      expect(
        ecr.commandCalls(BatchCheckLayerAvailabilityCommand)[0]?.args[0].input.layerDigests,
      ).toEqual([config.digest]);
    });

    it('fails as input, putting nothing, when a blob is not of its digest', async () => {
      const config = serve(Buffer.from('{}'));
      const lie = { digest: digestOf('the layer'), size: 9 };
      server.blobs.set(lie.digest, { bytes: Buffer.from('not it!!!') });
      const manifest = manifestOf(config, lie);
      ecr.on(BatchGetImageCommand).resolves(stored(manifest));
      await expect(
        writer().copy(
          { ...FROM, digest: digestOf(manifest) },
          { repository: 'release/api', tag: 'x' },
        ),
      ).rejects.toMatchObject({ code: 'BLOB_DIGEST_MISMATCH', kind: 'input' });
      expect(completed()).not.toContain(lie.digest);
      expect(puts()).toHaveLength(0);
    });

    it('fails as input, putting nothing, for a Docker schema 1 manifest', async () => {
      const schema1 = JSON.stringify({ schemaVersion: 1, name: 'payments/api', fsLayers: [] });
      ecr
        .on(BatchGetImageCommand)
        .resolves(stored(schema1, 'application/vnd.docker.distribution.manifest.v1+prettyjws'));
      await expect(
        writer().copy(
          { ...FROM, digest: digestOf(schema1) },
          { repository: 'release/api', tag: 'x' },
        ),
      ).rejects.toMatchObject({ code: 'INVALID_MANIFEST', kind: 'input' });
      expect(puts()).toHaveLength(0);
    });
  });

  describe('when the image is an index', () => {
    const child = (n: string) =>
      `{"schemaVersion":2,"mediaType":"${OCI_MANIFEST}","config":{"mediaType":"${OCI_CONFIG}","size":2,"digest":"sha256:${n.repeat(64)}"},"layers":[]}`;
    const CHILDREN = [child('1'), child('2')];
    const INDEX = JSON.stringify(
      {
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: CHILDREN.map((c) => ({
          mediaType: OCI_MANIFEST,
          digest: digestOf(c),
          size: c.length,
        })),
      },
      null,
      3,
    );
    const INDEX_IMAGE = { ...FROM, digest: digestOf(INDEX) };

    beforeEach(() => {
      answerBlobCalls(ecr, server, {
        available: [`sha256:${'1'.repeat(64)}`, `sha256:${'2'.repeat(64)}`],
      });
      ecr
        .on(BatchGetImageCommand, { imageIds: [{ imageDigest: digestOf(INDEX) }] })
        .resolves(stored(INDEX, OCI_INDEX));
      for (const c of CHILDREN)
        ecr
          .on(BatchGetImageCommand, { imageIds: [{ imageDigest: digestOf(c) }] })
          .resolves(stored(c));
    });

    it('puts its manifests in another repository first, untagged, then the index', async () => {
      await writer().copy(INDEX_IMAGE, { repository: 'release/api', tag: '1.4.2' });
      expect(puts().map((p) => [p.imageDigest, p.imageTag, p.imageManifest])).toEqual([
        [digestOf(CHILDREN[0]!), undefined, CHILDREN[0]],
        [digestOf(CHILDREN[1]!), undefined, CHILDREN[1]],
        [digestOf(INDEX), '1.4.2', INDEX],
      ]);
      expect(puts()[2]?.imageManifestMediaType).toBe(OCI_INDEX);
    });

    it("copies each manifest's missing blobs before putting the manifests", async () => {
      const config = serve(Buffer.from('{"os":"linux"}'));
      const [amd64, arm64] = [serve(blobBytes(2000, 'amd64')), serve(blobBytes(3000, 'arm64'))];
      const children = [manifestOf(config, amd64), manifestOf(config, arm64)];
      const index = JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: children.map((c) => ({
          mediaType: OCI_MANIFEST,
          digest: digestOf(c),
          size: c.length,
        })),
      });
      ecr
        .on(BatchGetImageCommand, { imageIds: [{ imageDigest: digestOf(index) }] })
        .resolves(stored(index, OCI_INDEX));
      for (const c of children)
        ecr
          .on(BatchGetImageCommand, { imageIds: [{ imageDigest: digestOf(c) }] })
          .resolves(stored(c));

      await writer().copy(
        { ...FROM, digest: digestOf(index) },
        { repository: 'release/api', tag: '1.4.2' },
      );
      expect(completed().sort()).toEqual([config.digest, amd64.digest, arm64.digest].sort());
      expect(sequence().lastIndexOf('CompleteLayerUpload')).toBeLessThan(
        sequence().indexOf('PutImage'),
      );
      expect(puts().map((p) => [p.imageDigest, p.imageTag])).toEqual([
        [digestOf(children[0]!), undefined],
        [digestOf(children[1]!), undefined],
        [digestOf(index), '1.4.2'],
      ]);
    });

    it('puts only the index, checking no blob, when tagging within its repository', async () => {
      await writer().copy(INDEX_IMAGE, { repository: 'payments/api', tag: 'quarantine-1.4.2' });
      expect(puts().map((p) => p.imageDigest)).toEqual([digestOf(INDEX)]);
      expect(ecr.commandCalls(BatchCheckLayerAvailabilityCommand)).toHaveLength(0);
    });
  });

  describe('failures', () => {
    it('fails with a typed input error when the image is not there, putting nothing', async () => {
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
      const error = await writer()
        .copy(FROM, { repository: 'release/api', tag: 'x' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AwsError);
      expect(error).toMatchObject({
        code: 'IMAGE_NOT_FOUND',
        kind: 'input',
        message: `expected the image payments/api@${DIGEST} in ECR, got ImageNotFound: Requested image not found`,
      });
      expect(puts()).toHaveLength(0);
    });

    it('fails as transient when the upstream of a pull-through cache is unavailable', async () => {
      ecr.on(BatchGetImageCommand).resolves({
        failures: [{ imageId: { imageDigest: DIGEST }, failureCode: 'UpstreamUnavailable' }],
      });
      await expect(writer().copy(FROM, { repository: 'r', tag: 'x' })).rejects.toMatchObject({
        kind: 'transient',
      });
    });

    it('fails as transient when ECR throttles BatchGetImage', async () => {
      ecr.on(BatchGetImageCommand).rejects(serviceError('ThrottlingException'));
      await expect(writer().copy(FROM, { repository: 'r', tag: 'x' })).rejects.toMatchObject({
        code: 'AWS_REQUEST_FAILED',
        kind: 'transient',
        message: expect.stringMatching(/^ECR BatchGetImage on payments\/api@sha256:/),
      });
    });

    it('fails as transient when ECR throttles PutImage', async () => {
      ecr.on(PutImageCommand).rejects(serviceError('ThrottlingException'));
      await expect(writer().copy(FROM, { repository: 'r', tag: 'x' })).rejects.toMatchObject({
        code: 'AWS_REQUEST_FAILED',
        kind: 'transient',
        message:
          'ECR PutImage on r:x failed: ThrottlingException (HTTP 400): ThrottlingException happened',
      });
    });

    it('fails as transient on a ServerException', async () => {
      ecr.on(PutImageCommand).rejects(serviceError('ServerException', 500));
      await expect(writer().copy(FROM, { repository: 'r', tag: 'x' })).rejects.toMatchObject({
        kind: 'transient',
      });
    });

    it('fails as input, saying what to do, when the layers are not in the target repository', async () => {
      ecr.on(PutImageCommand).rejects(
        new LayersNotFoundException({
          $metadata: { httpStatusCode: 400 },
          message: 'layers missing',
        }),
      );
      await expect(
        writer().copy(FROM, { repository: 'release/api', tag: 'x' }),
      ).rejects.toMatchObject({
        kind: 'input',
        message: expect.stringMatching(
          /^ECR PutImage on release\/api:x failed: LayersNotFoundException \(HTTP 400\): layers missing \(PutImage needs every blob/,
        ),
      });
    });

    it('fails as input when an immutable tag names another image', async () => {
      ecr.on(PutImageCommand).rejects(
        new ImageTagAlreadyExistsException({
          $metadata: { httpStatusCode: 400 },
          message: 'tag exists',
        }),
      );
      await expect(
        writer().copy(FROM, { repository: 'release/api', tag: 'x' }),
      ).rejects.toMatchObject({
        kind: 'input',
      });
    });

    it('fails as a bug, putting nothing, when the bytes ECR gives are not of the digest', async () => {
      ecr.on(BatchGetImageCommand).resolves({
        images: [{ imageManifest: `${MANIFEST} `, imageManifestMediaType: OCI_MANIFEST }],
      });
      await expect(writer().copy(FROM, { repository: 'r', tag: 'x' })).rejects.toMatchObject({
        code: 'MANIFEST_DIGEST_MISMATCH',
        kind: 'bug',
      });
      expect(puts()).toHaveLength(0);
    });

    it.each([
      ['a registry that is not ECR', { ...FROM, registry: '127.0.0.1:5000' }, 'eu-west-1'],
      ['an ECR registry of another region', FROM, 'us-east-1'],
    ])('fails as input, calling nothing, for %s', async (_, image, region) => {
      await expect(writer(region).copy(image, { repository: 'r', tag: 'x' })).rejects.toMatchObject(
        {
          code: 'UNREACHABLE_REGISTRY',
          kind: 'input',
        },
      );
      expect(ecr.calls()).toHaveLength(0);
    });
  });
});
