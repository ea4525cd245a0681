import {
  BatchCheckLayerAvailabilityCommand,
  CompleteLayerUploadCommand,
  GetDownloadUrlForLayerCommand,
  InitiateLayerUploadCommand,
  UploadLayerPartCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { openBlobUrl, streamVerifiedParts } from './blob-stream';
import { AwsError, awsErrorName, awsRequestError } from '..';

/*
 * ECR's limits on a layer uploaded through its API, from "Amazon ECR service quotas"
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/service-quotas.html): "Minimum layer
 * part size" 5 MiB, "Maximum layer part size" 10 MiB, "Layer parts" 4,200 (each "only applicable
 * if you are using Amazon ECR API actions directly to initiate multipart uploads"). The
 * UploadLayerPart reference allows a 20,971,520-byte blob; the quota is the stricter bound.
 */
const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PART_BYTES = 10 * 1024 * 1024;
const MAX_PARTS = 4200;
/** BatchCheckLayerAvailability takes 1 to 100 digests (the API's BatchedOperationLayerDigestList). */
const CHECK_BATCH = 100;
/** Blobs copied at once: a few streams, each holding at most one part in memory. */
const DEFAULT_CONCURRENCY = 2;

/** A blob a manifest names (its config or a layer): the digest and the size the descriptor gives. */
export interface BlobRef {
  readonly digest: string;
  readonly size: number;
}

/** Two repositories of one registry, and how to reach the blobs' pre-signed URLs. */
export interface BlobCopyProps {
  /** The ECR client of the registry's region. */
  readonly client: ECRClient;
  /** The account of the registry both repositories are in. */
  readonly registryId: string;
  /** The repository the blobs are read from. */
  readonly from: string;
  /** The repository the blobs are copied to. */
  readonly to: string;
  /** Downloads a pre-signed URL. @default - Node's global fetch */
  readonly fetch?: typeof fetch;
  /** How many blobs are copied at once. @default 2 */
  readonly concurrency?: number;
}

/**
 * Copies to `to` each blob it does not have yet (BatchCheckLayerAvailability), through the ECR
 * API only: GetDownloadUrlForLayer in `from`, the pre-signed URL streamed and checked against
 * the digest and size, InitiateLayerUpload, UploadLayerPart part by part, CompleteLayerUpload.
 * Memory holds one part per blob in flight, whatever the blob's size. A blob that turns out to
 * be there already (LayerAlreadyExistsException) is success. Returns the digests copied.
 */
export async function copyMissingBlobs(
  blobs: readonly BlobRef[],
  props: BlobCopyProps,
): Promise<string[]> {
  const distinct = [...new Map(blobs.map((blob) => [blob.digest, blob])).values()];
  const missing = await missingIn(props, distinct);
  await eachBounded(missing, props.concurrency ?? DEFAULT_CONCURRENCY, (blob) =>
    copyBlob(props, blob),
  );
  return missing.map((blob) => blob.digest);
}

/** The blobs `to` lacks: anything not reported AVAILABLE (missing, archived) is copied. */
async function missingIn(props: BlobCopyProps, blobs: readonly BlobRef[]): Promise<BlobRef[]> {
  const available = new Set<string>();
  for (let start = 0; start < blobs.length; start += CHECK_BATCH) {
    const command = new BatchCheckLayerAvailabilityCommand({
      registryId: props.registryId,
      repositoryName: props.to,
      layerDigests: blobs.slice(start, start + CHECK_BATCH).map((blob) => blob.digest),
    });
    const output = await call('ECR BatchCheckLayerAvailability', props.to, () =>
      props.client.send(command),
    );
    for (const layer of output.layers ?? [])
      if (layer.layerAvailability === 'AVAILABLE' && layer.layerDigest !== undefined)
        available.add(layer.layerDigest);
  }
  return blobs.filter((blob) => !available.has(blob.digest));
}

async function copyBlob(props: BlobCopyProps, blob: BlobRef): Promise<void> {
  const { client, registryId, from, to } = props;
  const source = `${from}@${blob.digest}`;
  if (blob.size > MAX_PARTS * MAX_PART_BYTES)
    throw new AwsError(
      'BLOB_TOO_LARGE',
      `expected a blob of at most ${MAX_PARTS} parts of ${MAX_PART_BYTES} bytes to copy to ${to}, got ${source} of ${blob.size} bytes`,
      'input',
    );
  const { downloadUrl } = await call('ECR GetDownloadUrlForLayer', source, () =>
    client.send(
      new GetDownloadUrlForLayerCommand({
        registryId,
        repositoryName: from,
        layerDigest: blob.digest,
      }),
    ),
  );
  const { uploadId, partSize } = await call('ECR InitiateLayerUpload', to, () =>
    client.send(new InitiateLayerUploadCommand({ registryId, repositoryName: to })),
  );
  if (downloadUrl === undefined || uploadId === undefined)
    throw new AwsError(
      'AWS_REQUEST_FAILED',
      `expected a download URL for ${source} and an upload id in ${to}, got ${downloadUrl === undefined ? 'no URL' : 'no upload id'}`,
      'transient',
    );
  const body = await openBlobUrl(props.fetch ?? fetch, downloadUrl, source);
  await streamVerifiedParts(body, {
    ...blob,
    source,
    partSize: partSizeOf(blob, partSize),
    put: (part, first) => putPart(props, uploadId, part, first),
  });
  await complete(props, uploadId, blob.digest);
}

/** The part size ECR asks for, kept within its limits and large enough for the blob's parts. */
function partSizeOf(blob: BlobRef, asked: number | undefined): number {
  const wanted = Math.min(Math.max(asked ?? MIN_PART_BYTES, MIN_PART_BYTES), MAX_PART_BYTES);
  return Math.max(wanted, Math.ceil(blob.size / MAX_PARTS));
}

async function putPart(
  { client, registryId, to }: BlobCopyProps,
  uploadId: string,
  part: Uint8Array,
  first: number,
): Promise<void> {
  const command = new UploadLayerPartCommand({
    registryId,
    repositoryName: to,
    uploadId,
    partFirstByte: first,
    partLastByte: first + part.length - 1,
    layerPartBlob: part,
  });
  await call('ECR UploadLayerPart', `${to} (upload ${uploadId})`, () => client.send(command));
}

/** Completes the upload; a layer already there (another copy won the race) is success. */
async function complete(props: BlobCopyProps, uploadId: string, digest: string): Promise<void> {
  const { client, registryId, to } = props;
  const command = new CompleteLayerUploadCommand({
    registryId,
    repositoryName: to,
    uploadId,
    layerDigests: [digest],
  });
  try {
    await client.send(command);
  } catch (error) {
    if (awsErrorName(error) === 'LayerAlreadyExistsException') return;
    throw awsRequestError('ECR CompleteLayerUpload', `${to}@${digest}`, error);
  }
}

/** An AWS call whose failure becomes an {@link AwsError} naming the call and its target. */
async function call<T>(name: string, target: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw awsRequestError(name, target, error);
  }
}

/** `work` on each item, `limit` at once; a failure starts nothing new, awaits the rest, is thrown. */
async function eachBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length)
      await work(items[next++]!).catch((error: unknown) => {
        failed = true;
        throw error;
      });
  };
  const settled = await Promise.allSettled(
    Array.from({ length: Math.min(Math.max(limit, 1), items.length) }, worker),
  );
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
}
