import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { messageOf } from '../core/errors';
import {
  delayBeforeRetry,
  isRetryableStatus,
  retryPolicy,
  sleep,
  type RetryOptions,
} from '../registry/retry';
import { VulnDbError } from './errors';
import { importOsv, type ImportReport } from './import';
import type { LocalStore } from './local-store';

/** OSV's public exports: `<base>/<ecosystem>/all.zip` (https://google.github.io/osv.dev/data/). */
export const DEFAULT_OSV_BASE_URL = 'https://osv-vulnerabilities.storage.googleapis.com';

/** The ecosystems a default update fetches: every one the matcher supports. */
export const DEFAULT_ECOSYSTEMS: readonly string[] = [
  'Debian',
  'Ubuntu',
  'Alpine',
  'Rocky Linux',
  'AlmaLinux',
  'Red Hat',
  'SUSE',
  'openSUSE',
  'Azure Linux',
  'Wolfi',
  'Chainguard',
  'npm',
  'PyPI',
  'Go',
  'Maven',
  'crates.io',
  'RubyGems',
  'NuGet',
  'Packagist',
];

/** Reads and stalls past this abort the download; the retry policy then decides. */
const TIMEOUT_MS = 10 * 60 * 1000;

export interface UpdateOptions {
  readonly baseUrl?: string;
  readonly ecosystems?: readonly string[];
  /** Where exports and their ETags are kept between updates. */
  readonly downloadDir: string;
  readonly retry?: RetryOptions;
  readonly now?: Date;
}

export interface UpdateReport {
  /** Ecosystems whose export changed and was imported. */
  readonly downloaded: readonly string[];
  /** Ecosystems whose export had not changed since the last update (HTTP 304). */
  readonly notModified: readonly string[];
  readonly imported: ImportReport;
}

/**
 * Downloads each ecosystem's OSV export (conditionally, by ETag, so an unchanged export costs
 * one request), checks its length and, where the server sends one, its MD5, then imports the
 * changed ones in one transaction. A failed download fails the update before anything is
 * imported.
 */
export async function updateOsv(store: LocalStore, options: UpdateOptions): Promise<UpdateReport> {
  const { downloaded, notModified } = await downloadOsvExports(options);
  const files = downloaded.map((e) => exportFile(options.downloadDir, e));
  const imported = await importOsv(store, files, { ...(options.now && { now: options.now }) });
  return { downloaded, notModified, imported };
}

/** What {@link downloadOsvExports} fetched. */
export interface DownloadReport {
  /** Ecosystems whose export changed and was downloaded. */
  readonly downloaded: readonly string[];
  /** Ecosystems whose export had not changed since the last download (HTTP 304). */
  readonly notModified: readonly string[];
}

/**
 * The download half of {@link updateOsv}: each ecosystem's export into `downloadDir` (see
 * {@link exportFile}), conditionally by ETag. A failed download fails them all: transient for
 * the network and 5xx (after the retries), input for other statuses (an unknown ecosystem).
 */
export async function downloadOsvExports(
  options: Omit<UpdateOptions, 'now'>,
): Promise<DownloadReport> {
  const base = (options.baseUrl ?? DEFAULT_OSV_BASE_URL).replace(/\/+$/, '');
  await mkdir(options.downloadDir, { recursive: true }).catch((error: unknown) => {
    throw new VulnDbError(
      'VULNDB_LOCATION_INVALID',
      `cannot make the download directory ${options.downloadDir}: ${messageOf(error)}`,
      { cause: error },
    );
  });
  const downloaded: string[] = [];
  const notModified: string[] = [];
  for (const ecosystem of options.ecosystems ?? DEFAULT_ECOSYSTEMS) {
    const url = `${base}/${encodeURIComponent(ecosystem)}/all.zip`;
    const changed = await download(url, exportFile(options.downloadDir, ecosystem), options.retry);
    (changed ? downloaded : notModified).push(ecosystem);
  }
  return { downloaded, notModified };
}

/** Where an ecosystem's export is kept in `dir`: `Rocky Linux` → `Rocky_Linux.zip`. */
export function exportFile(dir: string, ecosystem: string): string {
  return join(dir, `${ecosystem.replace(/[^\w.-]/g, '_')}.zip`);
}

/** Fetches `url` into `file` unless its ETag is unchanged; true when a new file was written. */
async function download(url: string, file: string, retry?: RetryOptions): Promise<boolean> {
  const policy = retryPolicy(retry);
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
      if (attempt >= policy.attempts) throw failed(url, messageOf(error), 'transient');
      await sleep(delayBeforeRetry(attempt - 1, policy, null));
      continue;
    }
    if (response.status === 304) return false;
    if (response.ok && response.body) {
      await save(response, file, url);
      await keepEtag(etagFile, response.headers.get('etag'));
      return true;
    }
    await response.body?.cancel();
    if (!isRetryableStatus(response.status) || attempt >= policy.attempts)
      throw failed(
        url,
        `HTTP ${response.status}`,
        isRetryableStatus(response.status) ? 'transient' : 'input',
      );
    await sleep(delayBeforeRetry(attempt - 1, policy, response.headers.get('retry-after')));
  }
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

/** Streams the body to `file` through a checked temporary file: length and MD5 when given. */
async function save(response: Response, file: string, url: string): Promise<void> {
  const partial = `${file}.partial`;
  const md5 = createHash('md5');
  let bytes = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      md5.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>),
      measure,
      createWriteStream(partial),
    );
    const length = response.headers.get('content-length');
    if (length !== null && Number(length) !== bytes)
      throw failed(url, `received ${bytes} of ${length} bytes`, 'transient');
    const expected = /md5=([A-Za-z0-9+/=]+)/.exec(response.headers.get('x-goog-hash') ?? '')?.[1];
    if (expected !== undefined && expected !== md5.digest('base64'))
      throw failed(url, 'the download does not match its MD5', 'transient');
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof VulnDbError) throw error;
    throw failed(url, messageOf(error), 'transient');
  }
}

function failed(url: string, why: string, kind: 'input' | 'transient'): VulnDbError {
  return new VulnDbError('VULNDB_DOWNLOAD_FAILED', `cannot download ${url}: ${why}`, { kind });
}
