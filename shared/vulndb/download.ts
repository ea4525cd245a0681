import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { messageOf } from '../core';
import { networkReason } from './network-reason';
import {
  delayBeforeRetry,
  isRetryableStatus,
  retryPolicy,
  sleep,
  type RetryOptions,
} from '../registry';
import { VulnDbError } from './errors';

/** Reads and stalls past this abort the download; the retry policy then decides. */
const TIMEOUT_MS = 10 * 60 * 1000;

/** What a download must match, besides the `Content-Length` (and OSV's `x-goog-hash` MD5). */
export interface Expected {
  readonly size?: number;
  readonly checksum?: { readonly algorithm: string; readonly hex: string };
}

export interface DownloadOptions {
  readonly retry?: RetryOptions;
  readonly expected?: Expected;
  /**
   * Told the bytes received so far, and the `Content-Length` when the server sends one, as the
   * body arrives (for a progress display). @default - none
   */
  readonly onProgress?: (bytes: number, total: number | undefined) => void;
}

/**
 * Fetches `url` into `file` unless its ETag is unchanged (the ETag of the last download is kept
 * in `<file>.etag`); true when a new file was written. The body goes through `<file>.partial`
 * and replaces `file` only once its length, MD5 (when the server sends one) and `expected` size
 * and checksum match. Network errors, 429 and 5xx are retried; a failure is a VulnDbError
 * `VULNDB_DOWNLOAD_FAILED`, transient for those, input for other statuses.
 */
export async function downloadFile(
  url: string,
  file: string,
  options: DownloadOptions = {},
): Promise<boolean> {
  const policy = retryPolicy(options.retry);
  const etagFile = `${file}.etag`;
  const etag = await readFile(etagFile, 'utf8').catch(() => undefined);
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: etag ? { 'If-None-Match': etag } : {},
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      if (attempt >= policy.attempts) throw unreachable(url, error, attempt);
      await sleep(delayBeforeRetry(attempt - 1, policy, null));
      continue;
    }
    if (response.status === 304) return false;
    if (response.ok && response.body) {
      await save(response, file, url, options);
      await keepEtag(etagFile, response.headers.get('etag'));
      return true;
    }
    await response.body?.cancel();
    if (!isRetryableStatus(response.status) || attempt >= policy.attempts)
      throw downloadFailed(
        url,
        `HTTP ${response.status}`,
        isRetryableStatus(response.status) ? 'transient' : 'input',
      );
    await sleep(delayBeforeRetry(attempt - 1, policy, response.headers.get('retry-after')));
  }
}

/** The error of a download that failed: `VULNDB_DOWNLOAD_FAILED`, naming the URL. */
export function downloadFailed(url: string, why: string, kind: 'input' | 'transient'): VulnDbError {
  return new VulnDbError('VULNDB_DOWNLOAD_FAILED', `cannot download ${url}: ${why}`, { kind });
}

/**
 * The error of a request that got no response: the URL, why (from the cause fetch gives:
 * `ENOTFOUND`, `ECONNREFUSED`, a timeout, a TLS failure) and after how many attempts; transient,
 * the cause kept.
 */
export function unreachable(url: string, error: unknown, attempts: number): VulnDbError {
  const tries = attempts === 1 ? '' : ` (${attempts} attempts)`;
  return new VulnDbError(
    'VULNDB_DOWNLOAD_FAILED',
    `cannot download ${url}: ${networkReason(url, error)}${tries}`,
    { kind: 'transient', cause: error },
  );
}

/** Keeps the ETag of what was saved, for the next update's conditional request. */
async function keepEtag(etagFile: string, etag: string | null): Promise<void> {
  try {
    if (etag) await writeFile(etagFile, etag);
    else await rm(etagFile, { force: true });
  } catch (error) {
    throw new VulnDbError(
      'VULNDB_LOCATION_INVALID',
      `cannot write ${etagFile}: ${messageOf(error)}`,
      { cause: error },
    );
  }
}

/** Streams the body to `file` through a checked temporary file. */
async function save(response: Response, file: string, url: string, options: DownloadOptions) {
  const { expected = {}, onProgress } = options;
  const length = response.headers.get('content-length');
  const total = length === null ? undefined : Number(length);
  const partial = `${file}.partial`;
  const md5 = createHash('md5');
  const checksum: Hash | undefined = expected.checksum && createHash(expected.checksum.algorithm);
  let bytes = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      md5.update(chunk);
      checksum?.update(chunk);
      bytes += chunk.length;
      onProgress?.(bytes, total);
      done(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>),
      measure,
      createWriteStream(partial),
    );
    const problem = mismatch(response, bytes, md5.digest('base64'), checksum, expected);
    if (problem !== undefined) throw downloadFailed(url, problem, 'transient');
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof VulnDbError) throw error;
    throw downloadFailed(url, messageOf(error), 'transient');
  }
}

/** What the download does not match, if anything. */
function mismatch(
  response: Response,
  bytes: number,
  md5: string,
  checksum: Hash | undefined,
  expected: Expected,
): string | undefined {
  const length = response.headers.get('content-length');
  if (length !== null && Number(length) !== bytes) return `received ${bytes} of ${length} bytes`;
  const goog = /md5=([A-Za-z0-9+/=]+)/.exec(response.headers.get('x-goog-hash') ?? '')?.[1];
  if (goog !== undefined && goog !== md5) return 'the download does not match its MD5';
  if (expected.size !== undefined && expected.size !== bytes)
    return `received ${bytes} bytes where the repository metadata says ${expected.size}`;
  if (checksum !== undefined && checksum.digest('hex') !== expected.checksum?.hex)
    return `the download does not match its ${expected.checksum?.algorithm} in the repository metadata`;
  return undefined;
}
