import {
  delayBeforeRetry,
  isRetryableStatus,
  retryPolicy,
  sleep,
  type RetryOptions,
} from '../../registry';
import { downloadFailed, unreachable } from '../download';
import { VulnDbError } from '../errors';

/** A mirror list, a repomd.xml or a catalog is a few KiB; past this it is not one. */
const MAX_TEXT_BYTES = 8 * 1024 * 1024;
const TIMEOUT_MS = 60_000;

/**
 * The body of a small document (`mirror.list`, `repomd.xml`, an extras catalog) as text.
 * Network errors, 429 and 5xx are retried; a failure is `VULNDB_DOWNLOAD_FAILED`, transient
 * for those, input for other statuses and for a body past {@link MAX_TEXT_BYTES}.
 */
export async function fetchText(url: string, retry?: RetryOptions): Promise<string> {
  const policy = retryPolicy(retry);
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (response.ok) return await bodyOf(response, url);
    } catch (error) {
      if (error instanceof VulnDbError) throw error;
      if (attempt >= policy.attempts) throw unreachable(url, error, attempt);
      await sleep(delayBeforeRetry(attempt - 1, policy, null));
      continue;
    }
    await response.body?.cancel();
    const retryable = isRetryableStatus(response.status);
    if (!retryable || attempt >= policy.attempts)
      throw downloadFailed(url, `HTTP ${response.status}`, retryable ? 'transient' : 'input');
    await sleep(delayBeforeRetry(attempt - 1, policy, response.headers.get('retry-after')));
  }
}

async function bodyOf(response: Response, url: string): Promise<string> {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  const body = (response.body ?? []) as AsyncIterable<Uint8Array>;
  for await (const chunk of body) {
    bytes += chunk.length;
    if (bytes > MAX_TEXT_BYTES)
      throw downloadFailed(url, `larger than ${MAX_TEXT_BYTES} bytes`, 'input');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
