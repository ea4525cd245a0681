import { homedir } from 'node:os';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { importOsv, type ImportReport } from '../../vulndb';
import { importPriority, splitPrioritySources, PRIORITY_SOURCES } from '../../vulndb';
import type { PriorityImport } from '../../vulndb';
import { DEFAULT_EPSS_URL, DEFAULT_KEV_URL } from '../../priority';
import { LocalStore } from '../../vulndb';
import { DEFAULT_ALAS_BASE_URL } from '../../vulndb';
import { DEFAULT_ECOSYSTEMS, DEFAULT_OSV_BASE_URL, updateOsv } from '../../vulndb';
import type { DataVersion, UpdateOptions } from '../../vulndb';
import { VulnDbError } from '../../vulndb';
import { nowOf, type CliIO } from '../io';
import { addQuietFlag, progressOf } from '../progress';
import { summaryOf } from './summaries';

const DAY_MS = 24 * 60 * 60 * 1000;

interface DbFlags {
  readonly db?: string;
}

interface UpdateFlags extends DbFlags {
  readonly ecosystem?: string[];
  readonly baseUrl?: string;
  readonly alasBaseUrl?: string;
  readonly kevUrl?: string;
  readonly epssUrl?: string;
  readonly quiet?: boolean;
}

/** `clearance db import|update|status`: the local vulnerability data. */
export function dbCommand(io: CliIO): Command {
  return new Command('db')
    .description(summaryOf('db'))
    .addCommand(importCommand(io))
    .addCommand(updateCommand(io))
    .addCommand(statusCommand(io));
}

/** `clearance db import PATH…`: OSV records and Amazon Linux advisories from local files, offline. */
function importCommand(io: CliIO): Command {
  return withDbFlag(new Command('import'), io)
    .description(
      'import OSV records (ecosystem exports, directories of .json, files), Amazon Linux ' +
        'advisories (updateinfo.xml or .xml.gz), the CISA KEV catalog (.json) and FIRST EPSS ' +
        'scores (.csv or .csv.gz), each told by content',
    )
    .argument(
      '<path...>',
      'all.zip files, directories, .json files, updateinfo files, KEV and EPSS files',
    )
    .action(async (paths: string[], flags: DbFlags) => {
      const store = LocalStore.open(dbDirOf(flags, io), { create: true });
      try {
        const now = nowOf(io);
        const { priority, rest } = await splitPrioritySources(paths);
        if (rest.length > 0 || priority.length === 0)
          writeImportReport(io, await importOsv(store, rest, { now }));
        writePriorityReport(io, await importPriority(store, priority, { now }));
      } finally {
        store.close();
      }
    });
}

/** `clearance db update`: the changed OSV exports, downloaded and imported. */
function updateCommand(io: CliIO): Command {
  return addQuietFlag(withDbFlag(new Command('update'), io))
    .description(
      "download OSV's ecosystem exports and Amazon Linux's advisories (only what changed) and import them",
    )
    .option(
      '--ecosystem <name...>',
      'ecosystems to fetch, and KEV and EPSS for the priority data ' +
        `(default: ${[...DEFAULT_ECOSYSTEMS, ...PRIORITY_SOURCES].join(', ')})`,
    )
    .option(
      '--base-url <url>',
      `where the exports live (default: $CLEARANCE_OSV_BASE_URL, else ${DEFAULT_OSV_BASE_URL})`,
    )
    .option(
      '--alas-base-url <url>',
      'where the Amazon Linux mirror lists live, for the "Amazon Linux:*" ecosystems ' +
        `(default: $CLEARANCE_ALAS_BASE_URL, else ${DEFAULT_ALAS_BASE_URL})`,
    )
    .option(
      '--kev-url <url>',
      `CISA's KEV catalog, for the KEV source (default: $CLEARANCE_KEV_URL, else ${DEFAULT_KEV_URL})`,
    )
    .option(
      '--epss-url <url>',
      `FIRST's EPSS scores (.csv or .csv.gz), for the EPSS source (default: $CLEARANCE_EPSS_URL, else ${DEFAULT_EPSS_URL})`,
    )
    .action(async (flags: UpdateFlags) => {
      const dir = dbDirOf(flags, io);
      const store = LocalStore.open(dir, { create: true });
      const progress = progressOf(io, flags);
      const urls = sourceUrls(flags, io);
      try {
        const report = await updateOsv(store, {
          ...urls,
          ...(flags.ecosystem && { ecosystems: flags.ecosystem }),
          downloadDir: join(dir, 'exports'),
          now: nowOf(io),
          onProgress: progress.update,
        }).catch((error: unknown) => {
          throw withNextStep(error, urls);
        });
        progress.end();
        io.stdout.write(
          `downloaded ${report.downloaded.length} exports (${report.downloaded.join(', ') || 'none'}); ` +
            `${report.notModified.length} unchanged\n`,
        );
        writeImportReport(io, report.imported);
        writePriorityReport(io, report.priority);
      } finally {
        progress.end();
        store.close();
      }
    });
}

/** Where `db update` fetches from: the flags, else the environment, else the public sources. */
function sourceUrls(flags: UpdateFlags, io: CliIO): Required<SourceUrls> {
  const { env } = io;
  return {
    baseUrl: flags.baseUrl ?? env.CLEARANCE_OSV_BASE_URL ?? DEFAULT_OSV_BASE_URL,
    alasBaseUrl: flags.alasBaseUrl ?? env.CLEARANCE_ALAS_BASE_URL ?? DEFAULT_ALAS_BASE_URL,
    kevUrl: flags.kevUrl ?? env.CLEARANCE_KEV_URL ?? DEFAULT_KEV_URL,
    epssUrl: flags.epssUrl ?? env.CLEARANCE_EPSS_URL ?? DEFAULT_EPSS_URL,
  };
}

type SourceUrls = Pick<UpdateOptions, 'baseUrl' | 'alasBaseUrl' | 'kevUrl' | 'epssUrl'>;

/** The flag that moves each source elsewhere (a mirror). */
const URL_FLAGS: Readonly<Record<keyof SourceUrls, string>> = {
  baseUrl: '--base-url',
  alasBaseUrl: '--alas-base-url',
  kevUrl: '--kev-url',
  epssUrl: '--epss-url',
};

/**
 * A download that got no response (offline, refused, timed out, TLS: the errors with a cause),
 * with what to do next: import files downloaded elsewhere, or fetch from a mirror with the
 * source's URL flag.
 */
function withNextStep(error: unknown, urls: Required<SourceUrls>): unknown {
  if (!(error instanceof VulnDbError) || error.code !== 'VULNDB_DOWNLOAD_FAILED') return error;
  if (error.kind !== 'transient' || error.cause === undefined) return error;
  const key = (Object.keys(URL_FLAGS) as (keyof SourceUrls)[]).find((k) =>
    error.message.startsWith(`cannot download ${urls[k].replace(/\/+$/, '')}`),
  );
  const flag = key === undefined ? Object.values(URL_FLAGS).join(', ') : URL_FLAGS[key];
  return new VulnDbError(
    error.code,
    `${error.message}; to update without this network, download the files elsewhere and run ` +
      `"clearance db import DIR", or fetch from a mirror with ${flag}`,
    { kind: error.kind, cause: error },
  );
}

/** `clearance db status`: what data the store holds, and how old it is. */
function statusCommand(io: CliIO): Command {
  return withDbFlag(new Command('status'), io)
    .description('print the data version, the newest record, counts per ecosystem, and age')
    .addOption(new Option('--format <format>', 'output').choices(['text', 'json']).default('text'))
    .action(async (flags: DbFlags & { format: 'text' | 'json' }) => {
      const dir = dbDirOf(flags, io);
      const store = LocalStore.open(dir);
      try {
        const version = await store.dataVersion();
        const ageDays = ageInDays(version, nowOf(io));
        if (flags.format === 'json')
          io.stdout.write(`${JSON.stringify({ directory: dir, ...version, ageDays }, null, 2)}\n`);
        else io.stdout.write(statusText(dir, version, ageDays));
      } finally {
        store.close();
      }
    });
}

function withDbFlag(command: Command, io: CliIO): Command {
  return command.option(
    '--db <dir>',
    `the store directory (default: ${defaultDbDir(io.env)}, or $CLEARANCE_DB_DIR)`,
  );
}

/** `--db`, else `$CLEARANCE_DB_DIR`, else the user cache directory. */
export function dbDirOf(flags: DbFlags, io: CliIO): string {
  return flags.db ?? io.env.CLEARANCE_DB_DIR ?? defaultDbDir(io.env);
}

/** The user cache directory as XDG (Linux) and macOS place it. */
function defaultDbDir(env: CliIO['env']): string {
  const home = env.HOME ?? homedir();
  const cache =
    env.XDG_CACHE_HOME ??
    (process.platform === 'darwin' ? join(home, 'Library', 'Caches') : join(home, '.cache'));
  return join(cache, 'clearance', 'db');
}

function writeImportReport(io: CliIO, report: ImportReport): void {
  io.stdout.write(
    `read ${report.read} records: ${report.inserted} new, ${report.updated} updated, ` +
      `${report.unchanged} unchanged, ${report.malformed} malformed (skipped); ` +
      `${report.gitRanges} GIT ranges skipped\n`,
  );
  for (const problem of report.problems)
    io.stderr.write(`clearance: skipped ${problem.source}: ${problem.reason}\n`);
  const unlisted = report.malformed - report.problems.length;
  if (unlisted > 0) io.stderr.write(`clearance: … and ${unlisted} more malformed records\n`);
}

function writePriorityReport(io: CliIO, report: PriorityImport): void {
  if (report.kev)
    io.stdout.write(
      `KEV catalog ${report.kev.catalogVersion} (released ${report.kev.dateReleased}): ${report.kev.count} CVEs\n`,
    );
  if (report.epss)
    io.stdout.write(
      `EPSS scores of ${report.epss.scoreDate} (model ${report.epss.modelVersion}): ${report.epss.count} CVEs\n`,
    );
}

function ageInDays(version: DataVersion, now: Date): number | null {
  if (version.newestModified === null) return null;
  return Math.floor((now.getTime() - Date.parse(version.newestModified)) / DAY_MS);
}

function statusText(dir: string, version: DataVersion, ageDays: number | null): string {
  const lines = [
    `vulnerability data in ${dir}`,
    `  version  ${version.contentHash}`,
    `  newest   ${version.newestModified ?? '-'}${ageDays === null ? '' : ` (${ageDays} days old)`}`,
    `  updated  ${version.updatedAt ?? '-'}`,
    `  records  ${version.records}`,
    ...Object.entries(version.ecosystems)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([ecosystem, count]) => `    ${ecosystem.padEnd(24)} ${count}`),
    `  KEV      ${version.kev ? `${version.kev.catalogVersion} (released ${version.kev.dateReleased}), ${version.kev.count} CVEs` : '-'}`,
    `  EPSS     ${version.epss ? `${version.epss.scoreDate} (model ${version.epss.modelVersion}), ${version.epss.count} CVEs` : '-'}`,
  ];
  return `${lines.join('\n')}\n`;
}
