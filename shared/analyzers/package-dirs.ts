/**
 * Where installed packages live, by path alone: what tells an application's own lockfile from one
 * that merely ships inside a package someone installed.
 */

/**
 * Node's global module directories on Debian and Ubuntu (`require('module').globalPaths`):
 * `usr/share/nodejs`, `usr/lib/<triplet>/nodejs`, and the older `usr/lib/nodejs`.
 */
export const NODE_GLOBAL_DIR =
  /^usr\/(?:share\/nodejs|lib\/nodejs|lib\/[^/]+-linux-[^/]+\/nodejs)\//;

/**
 * Directories whose contents are installed packages of some ecosystem: `node_modules`, Node's
 * global directories, Python's `site-packages`/`dist-packages`, Composer's and Bundler's
 * `vendor`, and a gem's own directory (`gems/<name>-<version>/`, `bundler/gems/<name>-<ref>/`).
 */
const INSIDE_INSTALLED_PACKAGE = [
  /(?:^|\/)node_modules\//,
  NODE_GLOBAL_DIR,
  /(?:^|\/)(?:site|dist)-packages\//,
  /(?:^|\/)vendor\//,
  /(?:^|\/)gems\/[^/]+-\d[^/]*\//,
  /(?:^|\/)bundler\/gems\//,
];

/**
 * Whether `path` lies inside an installed package's directory. A lockfile there is the package's
 * own development record (npm ships `npm-shrinkwrap.json` files, Debian keeps them), not the
 * inventory of an application: nothing it lists was installed for it.
 */
export function isInsideInstalledPackage(path: string): boolean {
  return INSIDE_INSTALLED_PACKAGE.some((pattern) => pattern.test(path));
}
