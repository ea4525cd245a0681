import { createHash } from 'node:crypto';
import { isClearanceError, messageOf, type ErrorKind } from '../../core';
import { parseDigest } from '../../image';
import { AwsError } from '..';

/**
 * The body of a blob's pre-signed URL (GetDownloadUrlForLayer's answer). The URL carries its own
 * signature: no Authorization header goes with it and no redirect is followed. It is a
 * credential while it lasts, so no message quotes it; `source` (`repository@digest`) names it.
 */
export async function openBlobUrl(
  fetchUrl: typeof fetch,
  url: string,
  source: string,
): Promise<AsyncIterable<Uint8Array>> {
  const what = `expected the blob ${source} from its download URL`;
  let response: Response;
  try {
    response = await fetchUrl(url, { redirect: 'error' });
  } catch (cause) {
    throw new AwsError(
      'BLOB_DOWNLOAD_FAILED',
      `${what}, got no answer: ${messageOf(cause)}`,
      'transient',
      { cause },
    );
  }
  if (response.status === 200 && response.body !== null) return response.body;
  await response.body?.cancel();
  throw new AwsError(
    'BLOB_DOWNLOAD_FAILED',
    `${what}, got HTTP ${response.status}`,
    downloadKind(response.status),
  );
}

/** How a blob's bytes are cut and sent. */
export interface VerifiedParts {
  /** The digest the bytes must hash to. */
  readonly digest: string;
  /** The byte count they must come to. */
  readonly size: number;
  /** Names the blob in messages: `repository@digest`. */
  readonly source: string;
  /** Bytes per part; the last part may be shorter. */
  readonly partSize: number;
  /** Sends one part, `firstByte` its offset in the blob. Called in order, one at a time. */
  readonly put: (part: Uint8Array, firstByte: number) => Promise<unknown>;
}

/**
 * Cuts the stream into parts, hashing and counting as it goes; memory holds one part. A full
 * part goes up only when the next byte arrives, so the last one goes up once the whole blob has
 * been verified: bytes of another digest or size never get to complete an upload. Throws
 * `BLOB_DIGEST_MISMATCH` (input) for such bytes, `BLOB_DOWNLOAD_FAILED` (transient) when the
 * stream breaks, and what `put` throws.
 */
export async function streamVerifiedParts(
  body: AsyncIterable<Uint8Array>,
  parts: VerifiedParts,
): Promise<void> {
  const { size, partSize, put } = parts;
  const algorithm = parseDigest(parts.digest).algorithm;
  const hash = createHash(algorithm);
  let received = 0;
  let sent = 0;
  let part = Buffer.allocUnsafe(Math.min(partSize, size));
  let filled = 0;
  try {
    for await (const chunk of body) {
      received += chunk.length;
      if (received > size) throw mismatch(parts, `more than ${size} bytes`);
      hash.update(chunk);
      for (let at = 0; at < chunk.length;) {
        if (filled === part.length) {
          await put(part, sent);
          sent += part.length;
          [part, filled] = [Buffer.allocUnsafe(Math.min(partSize, size - sent)), 0];
        }
        const take = chunk.subarray(at, at + part.length - filled);
        part.set(take, filled);
        [filled, at] = [filled + take.length, at + take.length];
      }
    }
  } catch (error) {
    throw isClearanceError(error) ? error : cutOff(parts, received, error);
  }
  if (received !== size) throw mismatch(parts, `${received} bytes`);
  const actual = `${algorithm}:${hash.digest('hex')}`;
  if (actual !== parts.digest) throw mismatch(parts, `bytes of ${actual}`);
  if (filled > 0) await put(part, sent);
}

/** An expired URL (403), throttling and server errors: a retry asks for a fresh URL. */
function downloadKind(status: number): ErrorKind {
  return status === 403 || status === 408 || status === 429 || status >= 500
    ? 'transient'
    : 'input';
}

function mismatch(parts: VerifiedParts, got: string): AwsError {
  return new AwsError(
    'BLOB_DIGEST_MISMATCH',
    `expected ${parts.size} bytes of ${parts.digest} from the download URL of ${parts.source}, got ${got}`,
    'input',
  );
}

function cutOff(parts: VerifiedParts, received: number, cause: unknown): AwsError {
  return new AwsError(
    'BLOB_DOWNLOAD_FAILED',
    `expected the blob ${parts.source} from its download URL, got cut off after ${received} bytes: ${messageOf(cause)}`,
    'transient',
    { cause },
  );
}
