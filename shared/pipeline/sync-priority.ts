import { readFile } from 'node:fs/promises';
import { parseKevCatalog, readEpssFile, type EpssScore, type PriorityRows } from '../priority';
import type { DataVersion, PriorityFile, PriorityImport } from '../vulndb';
import { priorityContentHash } from '../priority';

/** A sync target that keeps KEV and EPSS data (the cloud store does). */
export interface PriorityTarget {
  /** Stores one source's whole data under its version, before the data version names it. */
  putPriority?(data: PriorityRows): Promise<void>;
}

/**
 * Reads each KEV catalog and EPSS file the sync downloaded and hands it to the target whole (a
 * later file of a kind wins). A malformed file fails the sync with its PriorityError (input):
 * the data version is then not written, and the scans keep the last one. A target that keeps
 * no priority data is handed nothing.
 */
export async function syncPriority(
  target: PriorityTarget,
  files: readonly PriorityFile[],
): Promise<PriorityImport> {
  if (target.putPriority === undefined) return {};
  let result: PriorityImport = {};
  for (const { file, kind } of files) {
    if (kind === 'kev') {
      const catalog = parseKevCatalog(await readFile(file), file);
      const rows = new Map(catalog.entries.map((entry) => [entry.cveID, entry]));
      await target.putPriority({ kind, version: catalog.version, rows });
      result = { ...result, kev: catalog.version };
    } else {
      const rows = new Map<string, EpssScore>();
      const version = await readEpssFile(file, (cve, score) => rows.set(cve, score));
      await target.putPriority({ kind, version, rows });
      result = { ...result, epss: version };
    }
  }
  return result;
}

/** The data version with the KEV and EPSS versions joined (see `priorityContentHash`). */
export function withPriorityVersions(version: DataVersion, priority: PriorityImport): DataVersion {
  return {
    ...version,
    contentHash: priorityContentHash(version.contentHash, priority.kev, priority.epss),
    ...(priority.kev && { kev: priority.kev }),
    ...(priority.epss && { epss: priority.epss }),
  };
}
