import type { Analyzer, FoundPackage } from './analyzer';
import { isInsideInstalledPackage, NODE_GLOBAL_DIR } from './package-dirs';
import { isObject, objectField, objectKeys, stringField, type JsonObject } from '../core';
import { readJsonFile } from './json-file';

/**
 * `package.json` at a package's root: directly under a `node_modules/` (a name, or `@scope/name`)
 * at any depth, or under one of Node's global directories (Debian's `usr/share/nodejs/`).
 * Deeper `package.json` files (`lib/`, `esm/`) are module-type markers, not packages. Names never
 * start with `.` or `_` (https://docs.npmjs.com/cli/v10/configuring-npm/package-json#name).
 */
const PACKAGE_ROOT = /^(?:@[^/]+\/)?[^/@._][^/]*\/package\.json$/;
const NODE_MODULES_ROOT = /(?:^|\/)node_modules\/(?:@[^/]+\/)?[^/@._][^/]*\/package\.json$/;
const LOCKFILE = /(?:^|\/)(?:package-lock|npm-shrinkwrap)\.json$/;
const NODE_MODULES = 'node_modules/';
const SCOPED_NAME = /^(@[^/]+)\/(.+)$/;
/** Lockfile v1 entries of linked packages have a `file:` version instead of a registry one. */
const LINKED_VERSION = /^file:/;

type Found = { packages: FoundPackage[]; problems: { reason: string }[] };

/**
 * npm packages: installed ones from each `package.json` at a package root, and declared ones from
 * an application's `package-lock.json` / `npm-shrinkwrap.json`. A lockfile inside an installed
 * package's directory (`node_modules`, Debian's `usr/share/nodejs/<pkg>/`, …) is that package's
 * development record and is not read. Lockfile packages carry the lockfile's path as the result
 * path; the inventory decides whether the lockfile is an application's (inventory/lockfiles.ts).
 */
export const npmAnalyzer: Analyzer = {
  name: 'npm',
  version: 2,
  wants(path) {
    if (isPackageRoot(path)) return true;
    return LOCKFILE.test(path) && !isInsideInstalledPackage(path);
  },
  analyze(file) {
    const { value, problems } = readJsonFile(file);
    if (value === undefined) return { packages: [], problems };
    if (!isObject(value))
      return { packages: [], problems: [...problems, { reason: 'expected a JSON object' }] };
    const found = LOCKFILE.test(file.path) ? lockfilePackages(value) : manifestPackage(value);
    return { packages: found.packages, problems: [...problems, ...found.problems] };
  },
};

/**
 * The packages of a lockfile: v2/v3's flat `packages` map keyed by install path (`""` is the
 * application itself), or v1's nested `dependencies` tree
 * (https://docs.npmjs.com/cli/v10/configuring-npm/package-lock-json). Each name@version once.
 * Entries only the development tree needs (`dev: true`) are left out: an application shipped
 * without its `node_modules` runs, or was bundled from, its production dependencies alone.
 */
function lockfilePackages(lock: JsonObject): Found {
  const packagesMap = objectField(lock, 'packages');
  const found = packagesMap ? packagesEntries(packagesMap) : treeEntries(lock);
  const byCoordinates = new Map(
    found.map((p) => [`${p.namespace ?? ''}/${p.name}@${p.version}`, p] as const),
  );
  const packages = [...byCoordinates.values()];
  return { packages, problems: [] };
}

function packagesEntries(map: JsonObject): FoundPackage[] {
  return Object.entries(map).flatMap(([key, entry]) => {
    if (!isObject(entry) || entry['link'] === true || isDevOnly(entry)) return [];
    const at = key.lastIndexOf(NODE_MODULES);
    if (key !== '' && at < 0) return []; // a workspace folder: its node_modules link says it all
    // An aliased install (`"alias": "npm:real@1"`) records the real name in the entry.
    const name = key === '' ? undefined : key.slice(at + NODE_MODULES.length);
    const found = npmPackage(entry, stringField(entry, 'name') ?? name);
    return found ? [found] : [];
  });
}

/** v1: the root, then each `dependencies` entry recursively; `requires` names its dependencies. */
function treeEntries(lock: JsonObject): FoundPackage[] {
  const root = npmPackage({ name: lock['name'], version: lock['version'] });
  const walk = (tree: JsonObject | undefined): FoundPackage[] =>
    Object.entries(tree ?? {}).flatMap(([name, entry]) => {
      if (!isObject(entry)) return [];
      const version = stringField(entry, 'version');
      if (version === undefined || LINKED_VERSION.test(version) || isDevOnly(entry)) return [];
      const found = npmPackage({ ...entry, dependencies: entry['requires'] }, name);
      return [...(found ? [found] : []), ...walk(objectField(entry, 'dependencies'))];
    });
  return [...(root ? [root] : []), ...walk(objectField(lock, 'dependencies'))];
}

function manifestPackage(manifest: JsonObject): Found {
  const found = npmPackage(manifest);
  if (found === undefined)
    return { packages: [], problems: [{ reason: 'package.json has no name or no version' }] };
  return { packages: [found], problems: [] };
}

/**
 * The package an npm manifest or lockfile entry describes, or undefined without name and version.
 * `name` overrides the manifest's own (a lockfile key names the package it installs).
 */
function npmPackage(
  entry: JsonObject,
  name = stringField(entry, 'name'),
): FoundPackage | undefined {
  const version = stringField(entry, 'version');
  if (name === undefined || version === undefined) return undefined;
  const scoped = SCOPED_NAME.exec(name);
  const licenses = licensesOf(entry);
  const dependencies = objectKeys(entry, 'dependencies');
  return {
    type: 'npm',
    ...(scoped ? { namespace: scoped[1]!, name: scoped[2]! } : { name }),
    version,
    ...(licenses.length > 0 && { licenses }),
    ...(dependencies.length > 0 && { dependencies }),
  };
}

/**
 * `license` as an SPDX expression, the deprecated `{ type }` object, or the older
 * `licenses: [{ type }]` list (https://docs.npmjs.com/cli/v10/configuring-npm/package-json#license).
 */
function licensesOf(entry: JsonObject): string[] {
  const license = entry['license'];
  if (typeof license === 'string' && license !== '') return [license];
  const object = objectField(entry, 'license');
  if (object !== undefined) return [stringField(object, 'type')].filter(isString);
  const list = entry['licenses'];
  if (!Array.isArray(list)) return [];
  return list
    .map((item: unknown) => (isObject(item) ? stringField(item, 'type') : item))
    .filter(isString);
}

/** `dev: true`: strictly part of the devDependencies tree (`devOptional` entries may be needed). */
function isDevOnly(entry: JsonObject): boolean {
  return entry['dev'] === true;
}

function isPackageRoot(path: string): boolean {
  if (NODE_MODULES_ROOT.test(path)) return true;
  const global = NODE_GLOBAL_DIR.exec(path);
  return global !== null && PACKAGE_ROOT.test(path.slice(global[0].length));
}

function isString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}
