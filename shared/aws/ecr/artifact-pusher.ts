import {
  BatchCheckLayerAvailabilityCommand,
  CompleteLayerUploadCommand,
  InitiateLayerUploadCommand,
  PutImageCommand,
  UploadLayerPartCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import type { Blob } from '../../attest';
import type { ArtifactPusher } from '../../attest';
import { isDigest } from '../../image';
import type { ManifestBytes } from '../../image';
import { parseEcrHost } from './auth';
import { AwsError, awsErrorName, awsRequestError } from '..';

/*
 * An artifact's blobs go up as one layer part each: "Maximum layer part size" is 10 MiB (Amazon
 * ECR service quotas), the 5 MiB minimum binds every part but the last, and an attestation's
 * blobs (`{}`, a DSSE envelope) are a few KiB. Larger blobs are refused rather than split: this
 * adapter is for artifacts, shared/aws/ecr/blob-copy.ts streams image layers.
 */
const MAX_BLOB_BYTES = 10 * 1024 * 1024;

export interface EcrArtifactPusherProps {
  /** Created once at module scope by the handler, in the registry's region. */
  readonly client: ECRClient;
  /** The account of the registry (from its host: see {@link ecrArtifactPusherFor}). */
  readonly registryId: string;
}

/**
 * The ArtifactPusher of Amazon ECR, through its API only (no registry token): a blob with
 * BatchCheckLayerAvailability (one already there is done), InitiateLayerUpload, UploadLayerPart
 * and CompleteLayerUpload; a manifest with PutImage (the exact bytes, its media type, by digest
 * or tag). ECR implements the OCI 1.1 referrers API, so the subject is indexed by ECR itself.
 */
export class EcrArtifactPusher implements ArtifactPusher {
  constructor(private readonly props: EcrArtifactPusherProps) {}

  async pushBlob(repository: string, blob: Blob): Promise<void> {
    if (blob.bytes.length > MAX_BLOB_BYTES)
      throw new AwsError(
        'BLOB_TOO_LARGE',
        `expected an artifact blob of at most ${MAX_BLOB_BYTES} bytes for ${repository}, got ${blob.digest} of ${blob.bytes.length}`,
        'bug',
      );
    if (await this.has(repository, blob.digest)) return;
    const { client, registryId } = this.props;
    const where = `${repository}@${blob.digest}`;
    const { uploadId } = await call('ECR InitiateLayerUpload', where, () =>
      client.send(new InitiateLayerUploadCommand({ registryId, repositoryName: repository })),
    );
    if (uploadId === undefined)
      throw new AwsError(
        'AWS_REQUEST_FAILED',
        `ECR InitiateLayerUpload on ${where} gave no upload id`,
        'transient',
      );
    await call('ECR UploadLayerPart', where, () =>
      client.send(
        new UploadLayerPartCommand({
          registryId,
          repositoryName: repository,
          uploadId,
          partFirstByte: 0,
          partLastByte: blob.bytes.length - 1,
          layerPartBlob: blob.bytes,
        }),
      ),
    );
    await this.complete(repository, uploadId, blob.digest);
  }

  /** PutImage of the exact bytes; an image already there (ImageAlreadyExistsException) is done. */
  async pushManifest(
    repository: string,
    manifest: ManifestBytes,
    reference: string,
  ): Promise<{ subjectIndexed: boolean }> {
    const byDigest = isDigest(reference);
    const command = new PutImageCommand({
      registryId: this.props.registryId,
      repositoryName: repository,
      imageManifest: manifest.bytes.toString('utf8'),
      imageManifestMediaType: manifest.mediaType,
      imageDigest: manifest.digest,
      ...(!byDigest && { imageTag: reference }),
    });
    try {
      await this.props.client.send(command);
    } catch (error) {
      if (awsErrorName(error) !== 'ImageAlreadyExistsException')
        throw awsRequestError('ECR PutImage', `${repository}@${manifest.digest}`, error);
    }
    return { subjectIndexed: true };
  }

  private async has(repository: string, digest: string): Promise<boolean> {
    const output = await call('ECR BatchCheckLayerAvailability', `${repository}@${digest}`, () =>
      this.props.client.send(
        new BatchCheckLayerAvailabilityCommand({
          registryId: this.props.registryId,
          repositoryName: repository,
          layerDigests: [digest],
        }),
      ),
    );
    return (output.layers ?? []).some(
      (l) => l.layerDigest === digest && l.layerAvailability === 'AVAILABLE',
    );
  }

  /** CompleteLayerUpload; a layer already there (another push won the race) is success. */
  private async complete(repository: string, uploadId: string, digest: string): Promise<void> {
    const { client, registryId } = this.props;
    try {
      await client.send(
        new CompleteLayerUploadCommand({
          registryId,
          repositoryName: repository,
          uploadId,
          layerDigests: [digest],
        }),
      );
    } catch (error) {
      if (awsErrorName(error) === 'LayerAlreadyExistsException') return;
      throw awsRequestError('ECR CompleteLayerUpload', `${repository}@${digest}`, error);
    }
  }
}

/**
 * The pusher for an image's registry: an ECR host (its account is the registryId). Any other
 * registry is UNREACHABLE_REGISTRY: the cloud pipeline attaches to the images it scans, in ECR.
 */
export function ecrArtifactPusherFor(
  registry: string,
  clientFor: (region: string, fips: boolean) => ECRClient,
): EcrArtifactPusher {
  const ecr = parseEcrHost(registry);
  if (ecr === undefined)
    throw new AwsError(
      'UNREACHABLE_REGISTRY',
      `expected an ECR registry host, got ${registry}`,
      'input',
    );
  return new EcrArtifactPusher({
    client: clientFor(ecr.region, ecr.fips),
    registryId: ecr.account,
  });
}

async function call<T>(name: string, target: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw awsRequestError(name, target, error);
  }
}
