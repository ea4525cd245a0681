/**
 * ECR's blob calls as tests of cross-repository copies need them: pre-signed download URLs served
 * by a real `node:http` server on 127.0.0.1, and the ECR API (aws-sdk-client-mock) answering
 * BatchCheckLayerAvailability, GetDownloadUrlForLayer and the layer upload calls the way ECR does.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import {
  BatchCheckLayerAvailabilityCommand,
  CompleteLayerUploadCommand,
  GetDownloadUrlForLayerCommand,
  InitiateLayerUploadCommand,
  UploadLayerPartCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { startServer } from './registry-server';

export const MiB = 1024 * 1024;

/** What the download URL of a blob answers. */
export interface Served {
  readonly bytes?: Uint8Array;
  /** An HTTP status other than 200, with no body. */
  readonly status?: number;
  /** Sends this many bytes of a longer body, then drops the connection. */
  readonly cutAfter?: number;
  /** Answers a redirect to this path instead. */
  readonly redirectTo?: string;
}

/** The blobs behind the download URLs, and every request their server saw. */
export interface BlobServer {
  /** Served content by digest; a digest not in it answers 404. */
  readonly blobs: Map<string, Served>;
  readonly requests: { readonly path: string; readonly headers: IncomingHttpHeaders }[];
  /** The largest number of downloads in progress at once. */
  readonly peak: () => number;
  /** The download URL of `digest`, with a query string as a pre-signed URL has one. */
  url(digest: string): string;
  stop(): Promise<void>;
}

/** Starts the download server; each answer waits `delayMs` first, so concurrency shows. */
export async function startBlobServer(delayMs = 5): Promise<BlobServer> {
  const blobs = new Map<string, Served>();
  const requests: { path: string; headers: IncomingHttpHeaders }[] = [];
  let open = 0;
  let peak = 0;
  const server = await startServer(async (request, response) => {
    const path = (request.url ?? '').split('?')[0]!;
    requests.push({ path, headers: request.headers });
    peak = Math.max(peak, ++open);
    response.on('close', () => open--);
    await delay(delayMs);
    const served = blobs.get(decodeURIComponent(path.replace(/^\/blobs\//, '')));
    if (served?.redirectTo !== undefined)
      return void response.writeHead(302, { location: served.redirectTo }).end();
    if (served?.bytes === undefined) return void response.writeHead(served?.status ?? 404).end();
    response.writeHead(200, { 'content-length': served.bytes.length });
    if (served.cutAfter === undefined) return void response.end(served.bytes);
    response.write(served.bytes.subarray(0, served.cutAfter), () => response.destroy());
  });
  return {
    blobs,
    requests,
    peak: () => peak,
    url: (digest) =>
      `${server.url}/blobs/${encodeURIComponent(digest)}?X-Amz-Signature=0123abcd&X-Amz-Expires=3600`,
    stop: () => server.stop(),
  };
}

/** Bytes of `size` that differ from offset to offset (a pattern whose length divides no MiB). */
export function blobBytes(size: number, seed = 'layer'): Buffer {
  return Buffer.alloc(size, `${seed}:0123456789abcdefghijklmnopqrstuvwxyz`);
}

export const digestOf = (bytes: Uint8Array | string): string =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export interface EcrBlobAnswers {
  /** Digests BatchCheckLayerAvailability reports AVAILABLE in any repository. */
  readonly available?: Iterable<string>;
  /** The part size InitiateLayerUpload asks for. @default 5 MiB */
  readonly partSize?: number;
}

/** Answers the blob calls as ECR would: URLs of `server`, one upload id per InitiateLayerUpload. */
export function answerBlobCalls(
  ecr: AwsClientStub<ECRClient>,
  server: BlobServer,
  answers: EcrBlobAnswers = {},
): void {
  const available = new Set(answers.available);
  let uploads = 0;
  ecr
    .on(BatchCheckLayerAvailabilityCommand)
    .callsFake(({ layerDigests = [] }: { layerDigests?: string[] }) => ({
      layers: layerDigests
        .filter((digest) => available.has(digest))
        .map((layerDigest) => ({ layerDigest, layerAvailability: 'AVAILABLE' })),
      failures: layerDigests
        .filter((digest) => !available.has(digest))
        .map((layerDigest) => ({ layerDigest, failureCode: 'MissingLayerDigest' })),
    }));
  ecr.on(GetDownloadUrlForLayerCommand).callsFake(({ layerDigest }: { layerDigest: string }) => ({
    downloadUrl: server.url(layerDigest),
    layerDigest,
  }));
  ecr.on(InitiateLayerUploadCommand).callsFake(() => ({
    uploadId: `upload-${++uploads}`,
    partSize: 'partSize' in answers ? answers.partSize : 5 * MiB,
  }));
  ecr
    .on(UploadLayerPartCommand)
    .callsFake(({ uploadId, partLastByte }: { uploadId: string; partLastByte: number }) => ({
      uploadId,
      lastByteReceived: partLastByte,
    }));
  ecr
    .on(CompleteLayerUploadCommand)
    .callsFake(({ uploadId, layerDigests }: { uploadId: string; layerDigests: string[] }) => ({
      uploadId,
      layerDigest: layerDigests[0],
    }));
}

/** The bytes each upload received, by upload id, parts joined in the order sent. */
export function uploadedBytes(ecr: AwsClientStub<ECRClient>): Map<string, Buffer> {
  const uploads = new Map<string, Buffer[]>();
  for (const call of ecr.commandCalls(UploadLayerPartCommand)) {
    const { uploadId = '', layerPartBlob = new Uint8Array() } = call.args[0].input;
    uploads.set(uploadId, [...(uploads.get(uploadId) ?? []), Buffer.from(layerPartBlob)]);
  }
  return new Map([...uploads].map(([id, parts]) => [id, Buffer.concat(parts)]));
}
