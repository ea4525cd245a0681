import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { messageOf } from '../core';
import type { RetryOptions } from '../registry';
import { alasReleaseOf, alasSources, downloadAlas, isAmazonLinuxEcosystem } from './alas';
import { downloadFile, type DownloadOptions } from './download';
import { VulnDbError } from './errors';
import { importOsv, type ImportProgress, type ImportReport, type ImportSource } from './import';
import type { LocalStore } from './local-store';
import { DEFAULT_EPSS_URL, DEFAULT_KEV_URL } from '../priority';
import { importPriority, splitPrioritySources, type PriorityImport } from './priority-import';

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
  // Not in OSV: fetched from Amazon's repositories (ALAS in updateinfo.xml, see ./alas).
  'Amazon Linux:2',
  'Amazon Linux:2023',
];

/**
 * Data sources that are not advisories but rank them, fetched beside the ecosystems under these
 * names: CISA's KEV catalog and FIRST's EPSS scores (see shared/priority).
 */
export const PRIORITY_SOURCES: readonly string[] = ['KEV', 'EPSS'];

export interface UpdateOptions {
  readonly baseUrl?: string;
  /** Where Amazon Linux's mirror lists are (`Amazon Linux:*` ecosystems). @default - Amazon's CDN */
  readonly alasBaseUrl?: string;
  /** CISA's KEV catalog (the `KEV` source). @default - {@link DEFAULT_KEV_URL} */
  readonly kevUrl?: string;
  /** FIRST's EPSS scores, `.csv` or `.csv.gz` (the `EPSS` source). @default - {@link DEFAULT_EPSS_URL} */
  readonly epssUrl?: string;
  /** Ecosystems, and `KEV`/`EPSS`, to fetch. @default - every ecosystem and both sources */
  readonly ecosystems?: readonly string[];
  /** Where exports and their ETags are kept between updates. */
  readonly downloadDir: string;
  readonly retry?: RetryOptions;
  readonly now?: Date;
  /** Told how each download and the import go, for a progress display. @default - none */
  readonly onProgress?: (progress: UpdateProgress) => void;
}

/** A download's bytes (of `total`, when the server says), or the import's records. */
export type UpdateProgress =
  | {
      readonly phase: 'download';
      /** The ecosystem, or `KEV`/`EPSS`, the file belongs to. */
      readonly source: string;
      readonly url: string;
      readonly bytes: number;
      readonly total?: number | undefined;
    }
  | ({ readonly phase: 'import' } & ImportProgress);

export interface UpdateReport {
  /** Ecosystems whose export changed and was imported. */
  readonly downloaded: readonly string[];
  /** Ecosystems whose export had not changed since the last update (HTTP 304). */
  readonly notModified: readonly string[];
  readonly imported: ImportReport;
  /** The KEV catalog and EPSS scores that were imported, when they changed. */
  readonly priority: PriorityImport;
}

/**
 * Downloads each ecosystem's OSV export (conditionally, by ETag, so an unchanged export costs
 * one request), checks its length and, where the server sends one, its MD5, then imports the
 * changed ones in one transaction. `Amazon Linux:2` and `Amazon Linux:2023` come from Amazon's
 * repositories instead (see ./alas): when any of a release's files changed, all of them are
 * imported again, so that each advisory's copies merge. A failed download fails the update
 * before anything is imported.
 */
export async function updateOsv(store: LocalStore, options: UpdateOptions): Promise<UpdateReport> {
  const { downloaded, notModified } = await downloadOsvExports(options);
  const files: ImportSource[] = [];
  for (const ecosystem of downloaded)
    files.push(...(await exportSources(options.downloadDir, ecosystem)));
  const now = { ...(options.now && { now: options.now }) };
  const { priority, rest } = await splitPrioritySources(files);
  const { onProgress } = options;
  const imported = await importOsv(store, rest, {
    ...now,
    ...(onProgress && { onProgress: (read) => onProgress({ phase: 'import', ...read }) }),
  });
  return {
    downloaded,
    notModified,
    imported,
    priority: await importPriority(store, priority, now),
  };
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
 * {@link exportFile}, and ./alas for Amazon Linux), conditionally by ETag. A failed download
 * fails them all: transient for the network and 5xx (after the retries), input for other
 * statuses (an unknown ecosystem).
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
  for (const ecosystem of options.ecosystems ?? [...DEFAULT_ECOSYSTEMS, ...PRIORITY_SOURCES]) {
    const priorityUrl = priorityUrlOf(ecosystem, options);
    const fetchOptions = downloadOptions(ecosystem, options);
    const changed =
      priorityUrl !== undefined
        ? await downloadFile(
            priorityUrl,
            priorityFile(options.downloadDir, ecosystem),
            fetchOptions(priorityUrl),
          )
        : isAmazonLinuxEcosystem(ecosystem)
          ? await downloadAlas(alasRelease(ecosystem), {
              downloadDir: options.downloadDir,
              ...(options.alasBaseUrl !== undefined && { baseUrl: options.alasBaseUrl }),
              ...(options.retry !== undefined && { retry: options.retry }),
              ...(options.onProgress && { progress: fetchOptions }),
            })
          : await downloadFile(
              `${base}/${encodeURIComponent(ecosystem)}/all.zip`,
              exportFile(options.downloadDir, ecosystem),
              fetchOptions(`${base}/${encodeURIComponent(ecosystem)}/all.zip`),
            );
    (changed ? downloaded : notModified).push(ecosystem);
  }
  return { downloaded, notModified };
}

/** The options of each download of `source`'s files: the retries, and progress told as `source`'s. */
function downloadOptions(
  source: string,
  options: Pick<UpdateOptions, 'retry' | 'onProgress'>,
): (url: string) => DownloadOptions {
  const { retry, onProgress } = options;
  return (url) => ({
    ...(retry !== undefined && { retry }),
    ...(onProgress && {
      onProgress: (bytes: number, total: number | undefined) =>
        onProgress({ phase: 'download', source, url, bytes, total }),
    }),
  });
}

/**
 * What an ecosystem's last download left in `dir` to import: its export, or an Amazon Linux
 * release's updateinfo files with the repository of each.
 */
export async function exportSources(dir: string, ecosystem: string): Promise<ImportSource[]> {
  if (PRIORITY_SOURCES.includes(ecosystem)) return [priorityFile(dir, ecosystem)];
  if (!isAmazonLinuxEcosystem(ecosystem)) return [exportFile(dir, ecosystem)];
  return alasSources(dir, alasRelease(ecosystem));
}

function alasRelease(ecosystem: string) {
  const release = alasReleaseOf(ecosystem);
  if (release === undefined)
    throw new VulnDbError(
      'VULNDB_DOWNLOAD_FAILED',
      `no advisories of ${ecosystem}: Amazon Linux advisories are read for "Amazon Linux:2" and "Amazon Linux:2023"`,
    );
  return release;
}

/** Where an ecosystem's export is kept in `dir`: `Rocky Linux` → `Rocky_Linux.zip`. */
export function exportFile(dir: string, ecosystem: string): string {
  return join(dir, `${ecosystem.replace(/[^\w.-]/g, '_')}.zip`);
}

/** Where a priority source is kept in `dir` (its kind is told by content when imported). */
function priorityFile(dir: string, source: string): string {
  return join(
    dir,
    source === 'KEV' ? 'known_exploited_vulnerabilities.json' : 'epss_scores.csv.gz',
  );
}

function priorityUrlOf(
  source: string,
  options: Pick<UpdateOptions, 'kevUrl' | 'epssUrl'>,
): string | undefined {
  if (source === 'KEV') return options.kevUrl ?? DEFAULT_KEV_URL;
  if (source === 'EPSS') return options.epssUrl ?? DEFAULT_EPSS_URL;
  return undefined;
}
