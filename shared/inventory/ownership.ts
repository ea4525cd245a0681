import type { FileOwnership, FoundPackage, OsRelease } from '../analyzers';
import type { FileAnalysis } from '../analyzers';
import { purlOf } from './purl';

/** Package types whose managers install files and keep lists of them. */
export const OS_TYPES: ReadonlySet<string> = new Set(['deb', 'apk', 'rpm']);

/**
 * File path → purl of the OS package that installed it, from the packages' own file lists (rpm,
 * apk) and the lists kept beside the database (dpkg `info/*.list`). Language packages in those
 * files (a Python library or a jar installed by apt) are owned by that package.
 */
export function ownersOf(
  finals: readonly FileAnalysis[],
  found: readonly FoundPackage[],
  os: OsRelease | undefined,
): Map<string, string> {
  const osPackages = new Map<string, FoundPackage>();
  for (const p of found) if (OS_TYPES.has(p.type)) osPackages.set(`${p.type}\0${p.name}`, p);
  const owners = new Map<string, string>();
  const claim = (owner: FoundPackage | undefined, files: readonly string[]): void => {
    if (owner === undefined) return;
    const purl = purlOf(owner, os);
    for (const file of files) owners.set(file, purl);
  };
  for (const p of osPackages.values()) claim(p, p.files ?? []);
  const ownership: FileOwnership[] = finals.flatMap((a) => a.result.ownership ?? []);
  for (const o of ownership) claim(osPackages.get(`${o.type}\0${o.name}`), o.files);
  return owners;
}
