import { isInsideInstalledPackage } from '../analyzers';
import type { FileTree } from '../layers';
import type { PackageOrigin } from './package';

/**
 * The lockfiles the analysers read, each with the directory an install puts its packages in
 * beside it. Only npm's are read today: Pipfile.lock, poetry.lock, uv.lock, Cargo.lock,
 * Gemfile.lock, composer.lock, packages.lock.json, yarn.lock and pnpm-lock.yaml are not (each of
 * those ecosystems is inventoried from what is installed: metadata directories, installed.json,
 * gemspecs, deps.json, executables).
 */
const LOCKFILES: readonly { readonly name: RegExp; readonly installsInto: string }[] = [
  { name: /(?:^|\/)(?:package-lock|npm-shrinkwrap)\.json$/, installsInto: 'node_modules' },
];

/** Whether the packages of the file at `path` are declared by a lockfile, not found installed. */
export function originOf(path: string): PackageOrigin {
  return LOCKFILES.some((l) => l.name.test(path)) ? 'lockfile' : 'installed';
}

/**
 * Why a lockfile is not the inventory of an application root, or undefined when it is:
 * - it lies inside an installed package's directory (`node_modules`, `usr/share/nodejs/<pkg>`,
 *   `site-packages`, `vendor`, a gem's directory): a package's own development record;
 * - an OS package installed it, or the `package.json` beside it: the application is the OS
 *   package's, which its file list inventories (and its distribution's advisories judge);
 * - its packages are installed beside it (`node_modules`): those are read, and are the truth
 *   (the lockfile would double-count, or name packages pruned since).
 * `osOwned` says whether an OS package's file list holds a path.
 */
export function unusedLockfileReason(
  path: string,
  tree: FileTree,
  osOwned: (path: string) => boolean,
): string | undefined {
  const lockfile = LOCKFILES.find((l) => l.name.test(path));
  if (lockfile === undefined) return undefined;
  if (isInsideInstalledPackage(path)) return 'inside an installed package';
  const slash = path.lastIndexOf('/');
  const dir = slash < 0 ? '' : `${path.slice(0, slash)}/`;
  if (osOwned(path) || osOwned(`${dir}package.json`)) return 'installed by an OS package';
  if (tree.has(`${dir}${lockfile.installsInto}`)) return `${lockfile.installsInto} beside it`;
  return undefined;
}
