import { dirname, join } from 'node:path';
import { z } from 'zod';
import { messageOf } from '../../core';
import type { RetryOptions } from '../../registry';
import { downloadFailed, downloadFile, type DownloadOptions } from '../download';
import { VulnDbError } from '../errors';
import type { AlasContext, AlasRelease } from './context';
import { fetchText } from './http';
import { makeDirectory, writeManifest, type AlasSource } from './manifest';
import { updateinfoLocation } from './repomd';

/** Amazon Linux's repository CDN, where the mirror lists of every release and topic live. */
export const DEFAULT_ALAS_BASE_URL = 'https://cdn.amazonlinux.com';

/** The architectures whose repositories are read (each publishes its own updateinfo). */
export const ALAS_ARCHES: readonly string[] = ['x86_64', 'aarch64'];

/** Repositories fetched at once: each costs three small requests and one conditional one. */
const CONCURRENCY = 4;

export interface AlasDownloadOptions {
  /** @default {@link DEFAULT_ALAS_BASE_URL} */
  readonly baseUrl?: string;
  /** Files go to `<downloadDir>/alas/<release>/…`, with their ETags and a manifest. */
  readonly downloadDir: string;
  readonly retry?: RetryOptions;
  /** The options of each updateinfo download beside the retries (its progress). @default - none */
  readonly progress?: (url: string) => Pick<DownloadOptions, 'onProgress'>;
}

interface Repository {
  readonly context: AlasContext;
  readonly arch: string;
  readonly mirrorList: string;
  /** An extras topic may publish no updateinfo; a core repository always does. */
  readonly optional: boolean;
}

/** A topic name as the catalog may give it: no path separators, nothing hidden. */
const TOPIC = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$/;
/** `extras-catalog-<arch>.json`: the topics (`n`); its other fields are not read. */
const Catalog = z.object({
  topics: z.array(
    z.object({
      n: z
        .string()
        .regex(TOPIC)
        .refine((n) => !n.includes('..')),
    }),
  ),
});

/**
 * Downloads the updateinfo of every repository of an Amazon Linux release, for both arches:
 * AL2023 core; AL2 core and each extras topic its catalog lists. Each repository's
 * `mirror.list` names its base URL (first line), whose `repodata/repomd.xml` names the
 * updateinfo file; that file is fetched conditionally on its ETag and checked against repomd's
 * size and checksum. The files are listed in a manifest for {@link alasSources}. True when any
 * file, or the list of files, changed. A failure fails the whole download (VulnDbError).
 */
export async function downloadAlas(
  release: AlasRelease,
  options: AlasDownloadOptions,
): Promise<boolean> {
  const base = (options.baseUrl ?? DEFAULT_ALAS_BASE_URL).replace(/\/+$/, '');
  const repositories = await repositoriesOf(release, base, options.retry);
  const fetched = await inBatches(repositories, (r) => fetchRepository(r, options));
  const sources = fetched.flatMap((f) => (f.source ? [f.source] : []));
  const manifestChanged = await writeManifest(options.downloadDir, release, sources);
  return manifestChanged || fetched.some((f) => f.changed);
}

async function repositoriesOf(
  release: AlasRelease,
  base: string,
  retry: RetryOptions | undefined,
): Promise<Repository[]> {
  if (release === '2023')
    return ALAS_ARCHES.map((arch) => ({
      context: { release },
      arch,
      mirrorList: `${base}/al2023/core/mirrors/latest/${arch}/mirror.list`,
      optional: false,
    }));
  const repositories: Repository[] = [];
  for (const arch of ALAS_ARCHES) {
    repositories.push({
      context: { release },
      arch,
      mirrorList: `${base}/2/core/latest/${arch}/mirror.list`,
      optional: false,
    });
    for (const topic of await topicsOf(`${base}/2/extras-catalog-${arch}.json`, retry))
      repositories.push({
        context: { release, topic },
        arch,
        mirrorList: `${base}/2/extras/${encodeURIComponent(topic)}/latest/${arch}/mirror.list`,
        optional: true,
      });
  }
  return repositories;
}

async function topicsOf(url: string, retry: RetryOptions | undefined): Promise<string[]> {
  const text = await fetchText(url, retry);
  let parsed;
  try {
    parsed = Catalog.safeParse(JSON.parse(text));
  } catch (error) {
    throw downloadFailed(url, `not JSON: ${messageOf(error)}`, 'input');
  }
  if (!parsed.success)
    throw downloadFailed(url, `not an extras catalog: ${parsed.error.issues[0]?.message}`, 'input');
  return [...new Set(parsed.data.topics.map((t) => t.n))];
}

async function fetchRepository(
  repository: Repository,
  options: AlasDownloadOptions,
): Promise<{ changed: boolean; source?: AlasSource }> {
  const base = baseOf(await fetchText(repository.mirrorList, options.retry), repository);
  const repomdUrl = `${base}/repodata/repomd.xml`;
  let location;
  try {
    location = updateinfoLocation(await fetchText(repomdUrl, options.retry));
  } catch (error) {
    if (error instanceof VulnDbError) throw error;
    throw downloadFailed(repomdUrl, messageOf(error), 'input');
  }
  if (location === null) {
    if (repository.optional) return { changed: false };
    throw downloadFailed(repomdUrl, 'the repository publishes no updateinfo', 'input');
  }
  const url = new URL(location.href, `${base}/`);
  if (url.origin !== new URL(base).origin)
    throw downloadFailed(repomdUrl, `the updateinfo is elsewhere (${url.origin})`, 'input');
  const path = fileOf(options.downloadDir, repository);
  await makeDirectory(dirname(path));
  const changed = await downloadFile(url.href, path, {
    ...(options.retry && { retry: options.retry }),
    ...options.progress?.(url.href),
    expected: location,
  });
  return { changed, source: { path, alas: repository.context } };
}

/** The base URL a `mirror.list` names: its first line, `$basearch` filled in. */
function baseOf(list: string, repository: Repository): string {
  const line =
    list
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? '';
  const base = line.replaceAll('$basearch', repository.arch).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s]+$/.test(base) || !URL.canParse(base))
    throw downloadFailed(
      repository.mirrorList,
      `not a mirror list: ${JSON.stringify(line.slice(0, 80))}`,
      'input',
    );
  return base;
}

function fileOf(dir: string, repository: Repository): string {
  const { release, topic } = repository.context;
  const where = topic === undefined ? ['core'] : ['extras', topic];
  return join(dir, 'alas', release, ...where, `${repository.arch}.updateinfo`);
}

/** `work` over `items`, {@link CONCURRENCY} at a time, results in order; the first failure fails. */
async function inBatches<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += CONCURRENCY)
    results.push(...(await Promise.all(items.slice(i, i + CONCURRENCY).map(work))));
  return results;
}
