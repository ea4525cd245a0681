import { createHash } from 'node:crypto';
import { BatchGetImageCommand, PutImageCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { messageOf } from '../../core';
import { parseManifest, type ParsedManifest } from '../../image';
import { MANIFEST_MEDIA_TYPES } from '../../image';
import type { RegistryWriter } from '../../pipeline';
import type { ImageTarget } from '../../pipeline';
import { parseEcrHost } from './auth';
import { copyMissingBlobs, type BlobRef } from './blob-copy';
import { AwsError, awsErrorName, awsRequestError } from '..';

/**
 * What BatchGetImage accepts: every manifest type, Docker schema 1 included, so that ECR hands
 * out the stored bytes as they are and never converts them (a conversion changes the digest).
 */
export const ECR_ACCEPTED_MEDIA_TYPES: readonly string[] = [
  ...MANIFEST_MEDIA_TYPES,
  'application/vnd.docker.distribution.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
];

/** BatchGetImage failure codes worth retrying. */
const TRANSIENT_FAILURES = new Set(['UpstreamTooManyRequests', 'UpstreamUnavailable']);
/** What to do when ECR lacks the image's parts in the target repository. */
const MISSING_PARTS_HINT =
  'PutImage needs every blob and manifest the image names in the target repository; layers that may not be distributed are not copied';
/** Layers a registry need not hold (foreign, non-distributable): never copied. */
const NON_DISTRIBUTABLE = /nondistributable|foreign/;

export interface EcrRegistryWriterProps {
  /** Created once at module scope by the handler, in the region of the registry it writes. */
  readonly client: ECRClient;
  /** Downloads the blobs' pre-signed URLs when copying to another repository. @default - Node's global fetch */
  readonly fetch?: typeof fetch;
}

/** A manifest as ECR stores it: the exact bytes and their media type. */
interface StoredManifest {
  readonly digest: string;
  readonly manifest: string;
  readonly mediaType: string | undefined;
}

/**
 * The RegistryWriter of the cloud pipeline: tags an image by copying its exact manifest bytes
 * (BatchGetImage, then PutImage with the manifest string, its media type and its digest).
 * `ImageAlreadyExistsException` (the tag already names that digest) is success. Copied to
 * another repository of the registry, the image's blobs (config and layers, of each manifest of
 * an index) that repository lacks are copied first through the ECR API (see
 * {@link copyMissingBlobs}), then an index's manifests are put there, untagged.
 */
export class EcrRegistryWriter implements RegistryWriter {
  constructor(private readonly props: EcrRegistryWriterProps) {}

  async copy(from: ImageTarget, to: { repository: string; tag: string }): Promise<void> {
    const registryId = await this.registryIdOf(from.registry);
    const image = await this.manifestOf(registryId, from.repository, from.digest);
    if (to.repository !== from.repository) {
      const children = await this.childrenOf(registryId, from.repository, image);
      await copyMissingBlobs([image, ...children].flatMap(blobsOf), {
        client: this.props.client,
        registryId,
        from: from.repository,
        to: to.repository,
        fetch: this.props.fetch,
      });
      for (const child of children) await this.put(registryId, to.repository, child);
    }
    await this.put(registryId, to.repository, image, to.tag);
  }

  /** The manifests an index names (none for an image manifest), read in turn. */
  private async childrenOf(
    registryId: string,
    repository: string,
    image: StoredManifest,
  ): Promise<StoredManifest[]> {
    const parsed = parse(image);
    const children: StoredManifest[] = [];
    if (parsed.kind === 'index')
      for (const { digest } of parsed.index.manifests)
        children.push(await this.manifestOf(registryId, repository, digest));
    return children;
  }

  /** The account of an ECR host in the client's region. */
  private async registryIdOf(registry: string): Promise<string> {
    const ecr = parseEcrHost(registry);
    const region = await this.props.client.config.region();
    if (ecr === undefined || ecr.region !== region)
      throw new AwsError(
        'UNREACHABLE_REGISTRY',
        `expected an ECR registry in ${region}, where the ECR client is, got ${registry}`,
        'input',
      );
    return ecr.account;
  }

  private async manifestOf(
    registryId: string,
    repository: string,
    digest: string,
  ): Promise<StoredManifest> {
    const command = new BatchGetImageCommand({
      registryId,
      repositoryName: repository,
      imageIds: [{ imageDigest: digest }],
      acceptedMediaTypes: [...ECR_ACCEPTED_MEDIA_TYPES],
    });
    const where = `${repository}@${digest}`;
    let output;
    try {
      output = await this.props.client.send(command);
    } catch (error) {
      throw awsRequestError('ECR BatchGetImage', where, error);
    }
    const manifest = output.images?.[0]?.imageManifest;
    if (manifest === undefined) throw missing(where, output.failures?.[0]);
    const actual = `sha256:${createHash('sha256').update(manifest, 'utf8').digest('hex')}`;
    if (actual !== digest)
      throw new AwsError(
        'MANIFEST_DIGEST_MISMATCH',
        `expected the manifest of ${where} from BatchGetImage, got bytes of ${actual}`,
        'bug',
      );
    return { digest, manifest, mediaType: output.images?.[0]?.imageManifestMediaType };
  }

  private async put(
    registryId: string,
    repository: string,
    image: StoredManifest,
    tag?: string,
  ): Promise<void> {
    const command = new PutImageCommand({
      registryId,
      repositoryName: repository,
      imageManifest: image.manifest,
      imageManifestMediaType: image.mediaType,
      imageDigest: image.digest,
      imageTag: tag,
    });
    try {
      await this.props.client.send(command);
    } catch (error) {
      const name = awsErrorName(error);
      if (name === 'ImageAlreadyExistsException') return;
      const failure = awsRequestError(
        'ECR PutImage',
        `${repository}:${tag ?? image.digest}`,
        error,
      );
      if (name === 'LayersNotFoundException' || name === 'ReferencedImagesNotFoundException')
        throw new AwsError(failure.code, `${failure.message} (${MISSING_PARTS_HINT})`, 'input', {
          cause: error,
        });
      throw failure;
    }
  }
}

/** Why BatchGetImage found no image: not there (input), an upstream hiccup (transient), or else. */
function missing(
  where: string,
  failure?: { failureCode?: string; failureReason?: string },
): AwsError {
  const code = failure?.failureCode ?? 'ImageNotFound';
  const detail = `expected the image ${where} in ECR, got ${code}${failure?.failureReason === undefined ? '' : `: ${failure.failureReason}`}`;
  if (code === 'ImageNotFound') return new AwsError('IMAGE_NOT_FOUND', detail, 'input');
  return new AwsError(
    'AWS_REQUEST_FAILED',
    detail,
    TRANSIENT_FAILURES.has(code) ? 'transient' : 'input',
  );
}

/** The blobs an image manifest names (config and distributable layers); none for an index. */
function blobsOf(image: StoredManifest): BlobRef[] {
  const parsed = parse(image);
  if (parsed.kind === 'index') return [];
  const { config, layers } = parsed.manifest;
  return [config, ...layers.filter((layer) => !NON_DISTRIBUTABLE.test(layer.mediaType))];
}

/** The manifest parsed as an OCI or Docker v2 index or manifest (Docker schema 1 is not copied). */
function parse(image: StoredManifest): ParsedManifest {
  try {
    return parseManifest(Buffer.from(image.manifest, 'utf8'), image.mediaType, image.digest);
  } catch (error) {
    throw new AwsError(
      'INVALID_MANIFEST',
      `expected an image manifest or index to copy to another repository, got ${image.digest} of ${image.mediaType}: ${messageOf(error)}`,
      'input',
      { cause: error },
    );
  }
}
