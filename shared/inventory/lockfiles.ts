import type { FileTree } from '../layers/file-tree';

/** Lockfiles that declare what an install would put in a `node_modules` beside them. */
const NPM_LOCKFILE = /(?:^|\/)(?:package-lock|npm-shrinkwrap)\.json$/;

/**
 * Whether a declared-packages file is superseded by what is installed: an npm lockfile counts only
 * when its application has no `node_modules` (the installed `package.json` files are then the
 * truth, and the lockfile would double-count or report packages pruned since).
 */
export function isSupersededLockfile(path: string, tree: FileTree): boolean {
  if (!NPM_LOCKFILE.test(path)) return false;
  const slash = path.lastIndexOf('/');
  const nodeModules = slash < 0 ? 'node_modules' : `${path.slice(0, slash)}/node_modules`;
  return tree.has(nodeModules);
}
