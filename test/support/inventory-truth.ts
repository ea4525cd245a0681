/**
 * Ground truth for inventory precision and recall, read from an unpacked root filesystem with code
 * of its own (not the analysers'): which npm packages are installed, and which Maven artifacts
 * each Java archive holds. `scripts/measure-inventory.ts` scores real images with it, and
 * test/inventory/real-layouts.test.ts the fixtures built from real Debian packages.
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';
import { fromBufferPromise, type Entry, type ZipFile } from 'yauzl';

/** One package instance: where it is and who it is (`name@version`, `group:artifact@version`). */
export interface TruthItem {
  readonly path: string;
  readonly id: string;
}

/**
 * Directories Node's resolver searches for modules other than `node_modules`: Debian's global
 * module paths (nodejs's `--with-intl` build configures them; see /usr/share/doc/nodejs).
 */
const GLOBAL_MODULE_DIRS = /^usr\/(?:share\/nodejs|lib\/nodejs|lib\/[^/]+-linux-gnu[^/]*\/nodejs)$/;
const ARCHIVE = /\.(?:jar|war|ear|jpi|hpi)$/i;
const MAVEN_REPO = 'usr/share/maven-repo/';
const POM_PROPERTIES = /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/;
/** Symlink chains are short in practice; a loop stops here. */
const MAX_LINK_HOPS = 8;
const MAX_NESTING = 3;

/** Every regular file and symlink under `root`, as root-relative paths (symlinks not followed). */
export function walk(root: string): { files: string[]; links: Map<string, string> } {
  const files: string[] = [];
  const links = new Map<string, string>();
  const pending = [''];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const path = dir === '' ? name : `${dir}/${name}`;
      const stat = lstatSync(join(root, path));
      if (stat.isSymbolicLink()) links.set(path, readlinkSync(join(root, path)));
      else if (stat.isDirectory()) pending.push(path);
      else if (stat.isFile()) files.push(path);
    }
  }
  return { files, links };
}

/**
 * npm packages installed under `root`: a `package.json` with a name and a version at the root of
 * a directory Node resolves a module name to (`node_modules/<name>`, `node_modules/@scope/<name>`,
 * or the same under a global module directory). Lockfiles install nothing.
 */
export function npmTruth(root: string, files: readonly string[]): TruthItem[] {
  return files.flatMap((path) => {
    if (basename(path) !== 'package.json' || !isModuleRoot(dirname(path))) return [];
    let manifest: unknown;
    try {
      manifest = JSON.parse(readFileSync(join(root, path), 'utf8'));
    } catch {
      return [];
    }
    const { name, version } = (manifest ?? {}) as { name?: unknown; version?: unknown };
    if (typeof name !== 'string' || typeof version !== 'string' || !name || !version) return [];
    return [{ path, id: `${name}@${version}` }];
  });
}

function isModuleRoot(dir: string): boolean {
  const name = basename(dir);
  if (name.startsWith('.') || name.startsWith('@')) return false;
  const parent = dirname(dir);
  const container = basename(parent).startsWith('@') ? dirname(parent) : parent;
  return basename(container) === 'node_modules' || GLOBAL_MODULE_DIRS.test(container);
}

/**
 * Maven artifacts of each Java archive: one slot per identity it must be reported under, a slot
 * naming its accepted aliases. Sources: the `pom.properties` Maven wrote into the archive and the
 * archives nested in it, and Debian's `usr/share/maven-repo/<group>/<artifact>/<version>/` links
 * to the archive (several links to one archive are aliases of one identity).
 */
export async function mavenTruth(
  root: string,
  files: readonly string[],
  links: ReadonlyMap<string, string>,
): Promise<Map<string, string[][]>> {
  const debian = debianCoordinates(links, new Set(files));
  const truth = new Map<string, string[][]>();
  for (const path of files.filter((f) => ARCHIVE.test(f))) {
    const poms = await pomIdentities(readFileSync(join(root, path)), 0);
    const slots = poms.map((id) => [id]);
    const aliases = debian.get(path) ?? [];
    if (aliases.length > 0 && !aliases.some((id) => poms.includes(id))) slots.push(aliases);
    truth.set(path, slots);
  }
  return truth;
}

/** archive path → the coordinates Debian's maven-repo links name it by. */
function debianCoordinates(
  links: ReadonlyMap<string, string>,
  files: ReadonlySet<string>,
): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const link of links.keys()) {
    if (!link.startsWith(MAVEN_REPO)) continue;
    const parts = link.slice(MAVEN_REPO.length).split('/');
    const [file, version, artifact] = [parts.pop(), parts.pop(), parts.pop()];
    if (!file || !version || !artifact || parts.length === 0 || version === 'debian') continue;
    if (file !== `${artifact}-${version}.jar`) continue;
    const target = resolveLink(link, links);
    if (target === undefined || !files.has(target)) continue;
    const id = `${parts.join('.')}:${artifact}@${version}`;
    found.set(target, [...new Set([...(found.get(target) ?? []), id])]);
  }
  return found;
}

function resolveLink(path: string, links: ReadonlyMap<string, string>): string | undefined {
  let current = path;
  for (let hop = 0; hop < MAX_LINK_HOPS; hop++) {
    const target = links.get(current);
    if (target === undefined) return current;
    current = target.startsWith('/')
      ? posix.normalize(target.slice(1))
      : posix.normalize(posix.join(posix.dirname(current), target));
  }
  return undefined;
}

async function pomIdentities(bytes: Buffer, depth: number): Promise<string[]> {
  let zip: ZipFile;
  try {
    zip = await fromBufferPromise(bytes, { lazyEntries: true });
  } catch {
    return [];
  }
  const ids: string[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      if (POM_PROPERTIES.test(entry.fileName)) {
        const id = propertiesIdentity((await read(zip, entry)).toString('utf8'));
        if (id !== undefined) ids.push(id);
      } else if (ARCHIVE.test(entry.fileName) && depth < MAX_NESTING)
        ids.push(...(await pomIdentities(await read(zip, entry), depth + 1)));
    }
  } finally {
    zip.close();
  }
  return ids;
}

function propertiesIdentity(text: string): string | undefined {
  const value = (key: string) => new RegExp(`^\\s*${key}\\s*[=:]\\s*(\\S+)`, 'm').exec(text)?.[1];
  const [group, artifact, version] = [value('groupId'), value('artifactId'), value('version')];
  return group && artifact && version ? `${group}:${artifact}@${version}` : undefined;
}

async function read(zip: ZipFile, entry: Entry): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Precision and recall of what was reported against the truth, with the misses named. */
export interface Score {
  readonly truePositives: number;
  readonly falsePositives: readonly string[];
  readonly falseNegatives: readonly string[];
  readonly precision: number;
  readonly recall: number;
}

/** npm: each reported instance (path and name@version) against the installed ones. */
export function scoreInstances(reported: readonly TruthItem[], truth: readonly TruthItem[]): Score {
  const key = (i: TruthItem) => `${i.path} ${i.id}`;
  const truthKeys = new Set(truth.map(key));
  const reportedKeys = new Set(reported.map(key));
  const falsePositives = [...reportedKeys].filter((k) => !truthKeys.has(k));
  const falseNegatives = [...truthKeys].filter((k) => !reportedKeys.has(k));
  return scoreOf(reportedKeys.size - falsePositives.length, falsePositives, falseNegatives);
}

/**
 * Maven: each reported identity (group, artifact and version) of an archive is right when a slot
 * of that archive names it; a slot no report names is a miss. Packages reported without a group
 * claim no identity and are left out here (they are coverage gaps, not findings).
 */
export function scoreArchives(
  reported: readonly TruthItem[],
  truth: ReadonlyMap<string, readonly (readonly string[])[]>,
): Score {
  const claims = new Set(reported.map((i) => `${i.path} ${i.id}`));
  const falsePositives = [...claims].filter((claim) => {
    const [path, id] = claim.split(' ') as [string, string];
    return !(truth.get(path) ?? []).some((slot) => slot.includes(id));
  });
  const falseNegatives = [...truth].flatMap(([path, slots]) =>
    slots
      .filter((slot) => !slot.some((id) => claims.has(`${path} ${id}`)))
      .map((slot) => `${path} ${slot.join(' | ')}`),
  );
  return scoreOf(claims.size - falsePositives.length, falsePositives, falseNegatives);
}

function scoreOf(tp: number, falsePositives: string[], falseNegatives: string[]): Score {
  const ratio = (n: number, d: number) => (d === 0 ? 1 : n / d);
  return {
    truePositives: tp,
    falsePositives,
    falseNegatives,
    precision: ratio(tp, tp + falsePositives.length),
    recall: ratio(tp, tp + falseNegatives.length),
  };
}
