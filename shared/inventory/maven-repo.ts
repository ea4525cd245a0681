import { posix } from 'node:path';
import type { FoundPackage } from '../analyzers';
import type { FileTree } from '../layers';

/**
 * Debian's Maven repository (maven-repo-helper, https://wiki.debian.org/Java/MavenRepoSpec):
 * `usr/share/maven-repo/<group path>/<artifact>/<version>/<artifact>-<version>.jar`, a link to the
 * jar a package installed in `usr/share/java`. The distribution's own statement of the jar's Maven
 * coordinates, and the only one for jars built without Maven (`tomcat9-catalina-9.0.70.jar` is
 * `org.apache.tomcat:tomcat-catalina` 9.0.70). The `debian` version directories are aliases.
 */
const REPOSITORY = 'usr/share/maven-repo';
const PREFIX = `${REPOSITORY}/`;
const DEBIAN_VERSION = 'debian';
/** Links to links: Debian chains at most two; a loop stops here. */
const MAX_HOPS = 8;

export interface MavenCoordinates {
  readonly group: string;
  readonly artifact: string;
  readonly version: string;
}

/** Jar path → the coordinates Debian's Maven repository links to it under. */
export function debianMavenCoordinates(tree: FileTree): Map<string, MavenCoordinates[]> {
  const found = new Map<string, MavenCoordinates[]>();
  if (!tree.has(REPOSITORY)) return found;
  for (const entry of tree.entries()) {
    if (entry.type !== 'symlink' || !entry.path.startsWith(PREFIX)) continue;
    const coordinates = coordinatesOf(entry.path.slice(PREFIX.length));
    const target = coordinates && resolve(entry.path, tree);
    if (coordinates === undefined || target === undefined) continue;
    found.set(target, [...(found.get(target) ?? []), coordinates]);
  }
  return found;
}

/**
 * An archive's packages with Debian's coordinates in place of an inferred identity that has no
 * group: only for an archive that yielded one package, inferred (its own; nested archives make it
 * ambiguous). An inferred identity with a group (a well-known artifact) is kept: Debian sometimes
 * links a jar under coordinates of its own making (`xml-apis:xml-apis-1.4`). Of several
 * coordinates, the one with the version the file name gave, else the artifact id, else the first.
 */
export function withDebianIdentity(
  packages: readonly FoundPackage[],
  coordinates: readonly MavenCoordinates[] | undefined,
): readonly FoundPackage[] {
  const [only, ...others] = packages;
  if (coordinates === undefined || only === undefined || others.length > 0) return packages;
  if (!only.inferred || only.namespace !== undefined) return packages;
  const sorted = [...coordinates].sort((a, b) => key(a).localeCompare(key(b)));
  const chosen =
    sorted.find((c) => c.version === only.version) ??
    sorted.find((c) => c.artifact === only.name) ??
    sorted[0]!;
  return [{ ...only, namespace: chosen.group, name: chosen.artifact, version: chosen.version }];
}

function key(c: MavenCoordinates): string {
  return `${c.group}:${c.artifact}:${c.version}`;
}

/** `<g1>/<g2>/<artifact>/<version>/<artifact>-<version>.jar`, the `debian` versions left out. */
function coordinatesOf(relative: string): MavenCoordinates | undefined {
  const parts = relative.split('/');
  const [file, version, artifact] = [parts.pop(), parts.pop(), parts.pop()];
  if (!file || !version || !artifact || parts.length === 0 || version === DEBIAN_VERSION)
    return undefined;
  if (file !== `${artifact}-${version}.jar`) return undefined;
  return { group: parts.join('.'), artifact, version };
}

/** The regular file a link leads to through links, or undefined (dangling, a loop, a directory). */
function resolve(path: string, tree: FileTree): string | undefined {
  let current = path;
  for (let hop = 0; hop <= MAX_HOPS; hop++) {
    const entry = tree.get(current);
    if (entry === undefined) return undefined;
    if (entry.type === 'file' || entry.type === 'hardlink') return current;
    if (entry.type !== 'symlink' || entry.linkTarget === undefined) return undefined;
    const target = entry.linkTarget;
    current = target.startsWith('/')
      ? posix.normalize(target.slice(1))
      : posix.normalize(posix.join(posix.dirname(current), target));
    if (current.startsWith('../')) return undefined;
  }
  return undefined;
}
