import {
  BatchCheckLayerAvailabilityCommand,
  CompleteLayerUploadCommand,
  ECRClient,
  ECRServiceException,
  GetDownloadUrlForLayerCommand,
  InitiateLayerUploadCommand,
  LayerAlreadyExistsException,
  LayerInaccessibleException,
  UploadLayerPartCommand,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { copyMissingBlobs, type BlobCopyProps } from '../../../shared/aws/ecr/blob-copy';
import { AwsError } from '../../../shared/aws/errors';
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

describe('copyMissingBlobs', () => {
  let server: BlobServer;
  beforeAll(async () => {
    server = await startBlobServer();
  });
  afterAll(() => server.stop());

  beforeEach(() => {
    ecr.reset();
    server.blobs.clear();
    server.requests.length = 0;
    answerBlobCalls(ecr, server);
  });

  /** A blob served at its download URL, as a descriptor names it. */
  const serve = (bytes: Buffer) => {
    const digest = digestOf(bytes);
    server.blobs.set(digest, { bytes });
    return { digest, size: bytes.length, bytes };
  };
  const props = (more: Partial<BlobCopyProps> = {}): BlobCopyProps => ({
    client: new ECRClient({ region: 'eu-west-1' }),
    registryId: ACCOUNT,
    from: 'payments/api',
    to: 'release/api',
    ...more,
  });
  const inputs = {
    check: () => ecr.commandCalls(BatchCheckLayerAvailabilityCommand).map((c) => c.args[0].input),
    url: () => ecr.commandCalls(GetDownloadUrlForLayerCommand).map((c) => c.args[0].input),
    initiate: () => ecr.commandCalls(InitiateLayerUploadCommand).map((c) => c.args[0].input),
    part: () => ecr.commandCalls(UploadLayerPartCommand).map((c) => c.args[0].input),
    complete: () => ecr.commandCalls(CompleteLayerUploadCommand).map((c) => c.args[0].input),
  };
  const parts = () => inputs.part().map((p) => [p.uploadId, p.partFirstByte, p.partLastByte]);
  const completed = () => inputs.complete();

  describe('when the target repository lacks a blob', () => {
    it('copies a 12 MiB layer in three parts with their byte ranges, the bytes reassembled equal', async () => {
      const layer = serve(blobBytes(12 * MiB));
      await expect(copyMissingBlobs([layer], props())).resolves.toEqual([layer.digest]);

      expect(inputs.check()).toEqual([
        { registryId: ACCOUNT, repositoryName: 'release/api', layerDigests: [layer.digest] },
      ]);
      expect(inputs.url()).toEqual([
        { registryId: ACCOUNT, repositoryName: 'payments/api', layerDigest: layer.digest },
      ]);
      expect(inputs.initiate()).toEqual([{ registryId: ACCOUNT, repositoryName: 'release/api' }]);
      expect(parts()).toEqual([
        ['upload-1', 0, 5 * MiB - 1],
        ['upload-1', 5 * MiB, 10 * MiB - 1],
        ['upload-1', 10 * MiB, 12 * MiB - 1],
      ]);
      for (const part of inputs.part())
        expect(part).toMatchObject({ registryId: ACCOUNT, repositoryName: 'release/api' });
      expect(uploadedBytes(ecr).get('upload-1')!.equals(layer.bytes)).toBe(true);
      expect(completed()).toEqual([
        {
          registryId: ACCOUNT,
          repositoryName: 'release/api',
          uploadId: 'upload-1',
          layerDigests: [layer.digest],
        },
      ]);
    });

    it('sends a blob smaller than a part (a config) as one part', async () => {
      const config = serve(Buffer.from('{"architecture":"amd64","os":"linux"}'));
      await copyMissingBlobs([config], props());
      expect(parts()).toEqual([['upload-1', 0, config.size - 1]]);
      expect(uploadedBytes(ecr).get('upload-1')!.equals(config.bytes)).toBe(true);
    });

    it('sends no Authorization header to the download URL', async () => {
      const layer = serve(blobBytes(MiB));
      await copyMissingBlobs([layer], props());
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]!.path).toBe(`/blobs/${encodeURIComponent(layer.digest)}`);
      expect(server.requests[0]!.headers).not.toHaveProperty('authorization');
      expect(server.requests[0]!.headers).not.toHaveProperty('x-amz-security-token');
    });

    it('downloads through the fetch it is given', async () => {
      const layer = serve(blobBytes(MiB));
      const fetched: string[] = [];
      const fetchUrl: typeof fetch = (url, init) => {
        fetched.push(url instanceof Request ? url.url : url.toString());
        return fetch(url, init);
      };
      await copyMissingBlobs([layer], props({ fetch: fetchUrl }));
      expect(fetched).toEqual([server.url(layer.digest)]);
    });

    it.each([
      ['names none', undefined, 3],
      ['asks for less than 5 MiB', MiB, 3],
      ['asks for 10 MiB', 10 * MiB, 2],
      ['asks for more than 10 MiB', 64 * MiB, 2],
    ])(
      'cuts parts within ECR limits when InitiateLayerUpload %s',
      async (_, partSize, expected) => {
        answerBlobCalls(ecr, server, { partSize });
        const layer = serve(blobBytes(12 * MiB));
        await copyMissingBlobs([layer], props());
        expect(parts()).toHaveLength(expected);
        expect(uploadedBytes(ecr).get('upload-1')!.equals(layer.bytes)).toBe(true);
      },
    );

    it('copies two blobs at a time, each with its own upload', async () => {
      const layers = ['a', 'b', 'c', 'd', 'e'].map((seed) => serve(blobBytes(64 * 1024, seed)));
      await copyMissingBlobs(layers, props());
      expect(server.peak()).toBe(2);
      const uploaded = [...uploadedBytes(ecr).values()].map((bytes) => digestOf(bytes));
      expect(uploaded.sort()).toEqual(layers.map((l) => l.digest).sort());
      expect(completed().map((c) => c.layerDigests)).toHaveLength(5);
    });
  });

  describe('when the target repository has blobs already', () => {
    it('copies only the missing ones', async () => {
      const [have, lack] = [serve(blobBytes(1000, 'x')), serve(blobBytes(1000, 'y'))];
      answerBlobCalls(ecr, server, { available: [have.digest] });
      await expect(copyMissingBlobs([have, lack], props())).resolves.toEqual([lack.digest]);
      expect(inputs.url()).toEqual([expect.objectContaining({ layerDigest: lack.digest })]);
      expect(server.requests.map((r) => r.path)).toEqual([
        `/blobs/${encodeURIComponent(lack.digest)}`,
      ]);
    });

    it('checks availability in batches of 100 digests, copying nothing when all are there', async () => {
      const blobs = Array.from({ length: 250 }, (_, i) => ({
        digest: digestOf(`blob ${i}`),
        size: 10,
      }));
      answerBlobCalls(ecr, server, { available: blobs.map((b) => b.digest) });
      await expect(copyMissingBlobs(blobs, props())).resolves.toEqual([]);
      const checks = inputs.check();
      expect(checks.map((c) => c.layerDigests?.length)).toEqual([100, 100, 50]);
      expect(checks.flatMap((c) => c.layerDigests)).toEqual(blobs.map((b) => b.digest));
      expect(ecr.commandCalls(InitiateLayerUploadCommand)).toHaveLength(0);
    });

    it('copies a digest two manifests share once', async () => {
      const layer = serve(blobBytes(1000));
      await copyMissingBlobs([layer, { ...layer }], props());
      expect(ecr.commandCalls(BatchCheckLayerAvailabilityCommand)[0]!.args[0].input).toMatchObject({
        layerDigests: [layer.digest],
      });
      expect(completed()).toHaveLength(1);
    });

    it('succeeds when CompleteLayerUpload finds the layer there (LayerAlreadyExistsException)', async () => {
      const layer = serve(blobBytes(1000));
      ecr.on(CompleteLayerUploadCommand).rejects(
        new LayerAlreadyExistsException({
          $metadata: { httpStatusCode: 400 },
          message: 'exists',
        }),
      );
      await expect(copyMissingBlobs([layer], props())).resolves.toEqual([layer.digest]);
    });
  });

  describe('failures', () => {
    const failure = (blobs: Parameters<typeof copyMissingBlobs>[0], more = {}) =>
      copyMissingBlobs(blobs, props(more)).catch((e: unknown) => e);

    it('fails when the bytes do not hash to the digest, sending no last part and completing no upload', async () => {
      const bytes = blobBytes(12 * MiB);
      const digest = digestOf(blobBytes(12 * MiB, 'other'));
      server.blobs.set(digest, { bytes });
      const error = await failure([{ digest, size: bytes.length }]);
      expect(error).toBeInstanceOf(AwsError);
      expect(error).toMatchObject({
        code: 'BLOB_DIGEST_MISMATCH',
        kind: 'input',
        message: `expected ${12 * MiB} bytes of ${digest} from the download URL of payments/api@${digest}, got bytes of ${digestOf(bytes)}`,
      });
      expect(parts().map(([, first]) => first)).toEqual([0, 5 * MiB]);
      expect(completed()).toHaveLength(0);
    });

    it.each([
      ['more bytes than the descriptor says', 999, 'more than 999 bytes'],
      ['fewer bytes than the descriptor says', 1001, '1000 bytes'],
    ])('fails when the URL serves %s, completing no upload', async (_, size, got) => {
      const layer = serve(blobBytes(1000));
      await expect(failure([{ digest: layer.digest, size }])).resolves.toMatchObject({
        code: 'BLOB_DIGEST_MISMATCH',
        kind: 'input',
        message: expect.stringMatching(new RegExp(`, got ${got}$`)),
      });
      expect(parts()).toHaveLength(0);
      expect(completed()).toHaveLength(0);
    });

    it.each([
      [403, 'transient'],
      [503, 'transient'],
      [404, 'input'],
    ])('fails when the download URL answers HTTP %i, as %s', async (status, kind) => {
      const digest = digestOf('gone');
      server.blobs.set(digest, { status });
      const error = await failure([{ digest, size: 4 }]);
      expect(error).toMatchObject({
        code: 'BLOB_DOWNLOAD_FAILED',
        kind,
        message: `expected the blob payments/api@${digest} from its download URL, got HTTP ${status}`,
      });
      expect(String((error as Error).message)).not.toContain('X-Amz-Signature');
    });

    it('fails as transient when the download is cut off, completing no upload', async () => {
      const bytes = blobBytes(6 * MiB);
      const digest = digestOf(bytes);
      server.blobs.set(digest, { bytes, cutAfter: MiB });
      await expect(failure([{ digest, size: bytes.length }])).resolves.toMatchObject({
        code: 'BLOB_DOWNLOAD_FAILED',
        kind: 'transient',
        message: expect.stringMatching(/, got cut off after \d+ bytes: /),
      });
      expect(completed()).toHaveLength(0);
    });

    it('fails as transient, following no redirect, when the download URL redirects', async () => {
      const layer = serve(blobBytes(1000));
      const moved = digestOf('moved');
      server.blobs.set(moved, { redirectTo: `/blobs/${encodeURIComponent(layer.digest)}` });
      await expect(failure([{ digest: moved, size: 1000 }])).resolves.toMatchObject({
        code: 'BLOB_DOWNLOAD_FAILED',
        kind: 'transient',
      });
      expect(server.requests.map((r) => r.path)).toEqual([`/blobs/${encodeURIComponent(moved)}`]);
    });

    it('fails as transient when ECR throttles UploadLayerPart', async () => {
      const layer = serve(blobBytes(1000));
      ecr.on(UploadLayerPartCommand).rejects(
        new ECRServiceException({
          name: 'ThrottlingException',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
          message: 'Rate exceeded',
        }),
      );
      await expect(failure([layer])).resolves.toMatchObject({
        code: 'AWS_REQUEST_FAILED',
        kind: 'transient',
        message:
          'ECR UploadLayerPart on release/api (upload upload-1) failed: ThrottlingException (HTTP 400): Rate exceeded',
      });
      expect(completed()).toHaveLength(0);
    });

    it('fails as input when the source layer is inaccessible, uploading nothing', async () => {
      const layer = serve(blobBytes(1000));
      ecr.on(GetDownloadUrlForLayerCommand).rejects(
        new LayerInaccessibleException({
          $metadata: { httpStatusCode: 400 },
          message: 'archived',
        }),
      );
      await expect(failure([layer])).resolves.toMatchObject({
        kind: 'input',
        message: expect.stringMatching(/^ECR GetDownloadUrlForLayer on payments\/api@sha256:/),
      });
      expect(ecr.commandCalls(InitiateLayerUploadCommand)).toHaveLength(0);
    });

    it('fails as input, calling nothing for it, for a blob beyond ECR upload limits', async () => {
      const huge = { digest: digestOf('huge'), size: 4200 * 10 * MiB + 1 };
      await expect(failure([huge])).resolves.toMatchObject({
        code: 'BLOB_TOO_LARGE',
        kind: 'input',
      });
      expect(ecr.commandCalls(GetDownloadUrlForLayerCommand)).toHaveLength(0);
    });

    it('starts no further copy after one fails', async () => {
      const bad = { digest: digestOf('not served'), size: 10 };
      const good = [serve(blobBytes(1000, 'a')), serve(blobBytes(1000, 'b'))];
      await expect(failure([bad, ...good], { concurrency: 1 })).resolves.toMatchObject({
        code: 'BLOB_DOWNLOAD_FAILED',
      });
      expect(ecr.commandCalls(GetDownloadUrlForLayerCommand)).toHaveLength(1);
    });
  });
});
