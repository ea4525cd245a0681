import { readFile } from 'node:fs/promises';
import { messageOf } from '../core';
import { parseKevCatalog, readEpssFile, sniffPriorityFile } from '../priority';
import type { EpssVersion, KevVersion, PriorityFileKind } from '../priority';
import { VulnDbError } from './errors';
import type { ImportSource } from './record-files';
import type { LocalStore } from './local-store';

/** A KEV catalog or EPSS file among the paths of an import. */
export interface PriorityFile {
  readonly file: string;
  readonly kind: PriorityFileKind;
}

/** What a priority import wrote: the version of each source it replaced. */
export interface PriorityImport {
  readonly kev?: KevVersion;
  readonly epss?: EpssVersion;
}

/**
 * The KEV catalogs and EPSS files among `paths` (files told by content, see
 * `sniffPriorityFile`), and the rest, for the OSV import.
 */
export async function splitPrioritySources(
  paths: readonly ImportSource[],
): Promise<{ priority: PriorityFile[]; rest: ImportSource[] }> {
  const priority: PriorityFile[] = [];
  const rest: ImportSource[] = [];
  for (const path of paths) {
    const kind = typeof path === 'string' ? await sniffPriorityFile(path) : undefined;
    if (kind === undefined) rest.push(path);
    else priority.push({ file: path as string, kind });
  }
  return { priority, rest };
}

/**
 * Replaces the store's KEV catalog or EPSS scores with each file's, in order (a later file of
 * one kind wins), each in a transaction of its own. A malformed file fails with the
 * PriorityError that names its line or field, and writes nothing of it.
 */
export async function importPriority(
  store: LocalStore,
  files: readonly PriorityFile[],
  options: { readonly now?: Date } = {},
): Promise<PriorityImport> {
  let kev: KevVersion | undefined;
  let epss: EpssVersion | undefined;
  for (const { file, kind } of files) {
    if (kind === 'kev') {
      const catalog = parseKevCatalog(await readWhole(file), file);
      await store.replaceKev(catalog, options.now);
      kev = catalog.version;
    } else {
      epss = await store.replaceEpss((put) => readEpssFile(file, put), options.now);
    }
  }
  return { ...(kev && { kev }), ...(epss && { epss }) };
}

async function readWhole(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new VulnDbError('VULNDB_SOURCE_UNREADABLE', `cannot read ${file}: ${messageOf(error)}`, {
      cause: error,
    });
  }
}
