import {
  BatchCheckLayerAvailabilityCommand,
  CompleteLayerUploadCommand,
  ECRClient,
  ECRServiceException,
  InitiateLayerUploadCommand,
  PutImageCommand,
  UploadLayerPartCommand,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import {
  attachAttestation,
  attestationArtifact,
  generateSigningKey,
  signVerdict,
  type AttestationArtifact,
} from '../../../shared/attest';
import { ecrArtifactPusherFor, EcrArtifactPusher } from '../../../shared/aws/ecr/artifact-pusher';
import { MediaType } from '../../../shared/image/media-types';
import { predicate } from '../../attest/verdicts';

const ecr = mockClient(ECRClient);
const ACCOUNT = '123456789012';
const HOST = `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`;
const REPOSITORY = 'payments/api';
const SUBJECT = { mediaType: MediaType.ociIndex, digest: `sha256:${'ab'.repeat(32)}`, size: 1260 };

function serviceError(name: string, status = 400): ECRServiceException {
  return new ECRServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: `${name} happened`,
  });
}

function artifact(): AttestationArtifact {
  const envelope = signVerdict(REPOSITORY, SUBJECT.digest, predicate(), generateSigningKey());
  return attestationArtifact(envelope, SUBJECT, '2026-11-29T10:00:00Z');
}

const pusher = () => ecrArtifactPusherFor(HOST, (region) => new ECRClient({ region }));

beforeEach(() => {
  ecr.reset();
  ecr.on(BatchCheckLayerAvailabilityCommand).resolves({ layers: [], failures: [] });
  ecr.on(InitiateLayerUploadCommand).resolves({ uploadId: 'upload-1', partSize: 5 * 1024 * 1024 });
  ecr.on(UploadLayerPartCommand).resolves({});
  ecr.on(CompleteLayerUploadCommand).resolves({});
  ecr.on(PutImageCommand).resolves({});
});

describe('EcrArtifactPusher', () => {
  describe('when attaching an attestation', () => {
    it('uploads each blob in one part, then puts the exact manifest bytes by digest, untagged', async () => {
      const made = artifact();
      const attached = await attachAttestation(pusher(), REPOSITORY, made);

      expect(attached).toEqual({ digest: made.manifest.digest, via: 'referrers' });
      const parts = ecr.commandCalls(UploadLayerPartCommand).map((c) => c.args[0].input);
      expect(parts.map((p) => Buffer.from(p.layerPartBlob!))).toEqual(
        made.blobs.map((b) => b.bytes),
      );
      expect(parts[1]).toMatchObject({
        registryId: ACCOUNT,
        repositoryName: REPOSITORY,
        uploadId: 'upload-1',
        partFirstByte: 0,
        partLastByte: made.blobs[1]!.bytes.length - 1,
      });
      const completes = ecr.commandCalls(CompleteLayerUploadCommand).map((c) => c.args[0].input);
      expect(completes.map((c) => c.layerDigests)).toEqual(made.blobs.map((b) => [b.digest]));
      const puts = ecr.commandCalls(PutImageCommand).map((c) => c.args[0].input);
      expect(puts).toEqual([
        {
          registryId: ACCOUNT,
          repositoryName: REPOSITORY,
          imageManifest: made.manifest.bytes.toString('utf8'),
          imageManifestMediaType: MediaType.ociManifest,
          imageDigest: made.manifest.digest,
        },
      ]);
    });
  });

  describe('when the repository has a blob already', () => {
    it('does not upload it again', async () => {
      const made = artifact();
      const empty = made.blobs[0]!.digest;
      ecr.on(BatchCheckLayerAvailabilityCommand, { layerDigests: [empty] }).resolves({
        layers: [{ layerDigest: empty, layerAvailability: 'AVAILABLE' }],
      });
      await attachAttestation(pusher(), REPOSITORY, made);
      expect(ecr.commandCalls(InitiateLayerUploadCommand)).toHaveLength(1);
    });
  });

  describe('when a retry finds its work done', () => {
    it('takes LayerAlreadyExistsException and ImageAlreadyExistsException as success', async () => {
      ecr.on(CompleteLayerUploadCommand).rejects(serviceError('LayerAlreadyExistsException'));
      ecr.on(PutImageCommand).rejects(serviceError('ImageAlreadyExistsException'));
      await expect(attachAttestation(pusher(), REPOSITORY, artifact())).resolves.toMatchObject({
        via: 'referrers',
      });
    });
  });

  describe('pushManifest by tag', () => {
    it('names the tag and the digest', async () => {
      const made = artifact();
      await pusher().pushManifest(REPOSITORY, made.manifest, 'sha256-ab.att');
      expect(ecr.commandCalls(PutImageCommand)[0]!.args[0].input).toMatchObject({
        imageTag: 'sha256-ab.att',
        imageDigest: made.manifest.digest,
      });
    });
  });

  it('fails, transient, when ECR throttles', async () => {
    ecr.on(PutImageCommand).rejects(serviceError('ThrottlingException', 400));
    await expect(attachAttestation(pusher(), REPOSITORY, artifact())).rejects.toMatchObject({
      code: 'AWS_REQUEST_FAILED',
      kind: 'transient',
    });
  });

  it('fails, input, when the role may not push (AccessDeniedException)', async () => {
    ecr.on(InitiateLayerUploadCommand).rejects(serviceError('AccessDeniedException', 403));
    await expect(attachAttestation(pusher(), REPOSITORY, artifact())).rejects.toMatchObject({
      code: 'AWS_REQUEST_FAILED',
      kind: 'input',
      message: expect.stringContaining('ECR InitiateLayerUpload on payments/api@sha256:'),
    });
  });

  it('fails when a blob is larger than one layer part', async () => {
    const big = new EcrArtifactPusher({ client: new ECRClient({}), registryId: ACCOUNT });
    const bytes = Buffer.alloc(10 * 1024 * 1024 + 1);
    await expect(
      big.pushBlob(REPOSITORY, { digest: `sha256:${'0'.repeat(64)}`, bytes }),
    ).rejects.toMatchObject({
      code: 'BLOB_TOO_LARGE',
    });
  });

  it('fails when the image is not in ECR', () => {
    expect(() => ecrArtifactPusherFor('127.0.0.1:5000', () => new ECRClient({}))).toThrow(
      /expected an ECR registry host, got 127.0.0.1:5000/,
    );
  });
});
