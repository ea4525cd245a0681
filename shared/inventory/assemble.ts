import type { FoundPackage, OsRelease } from '../analyzers';
import { endOfLife } from '../analyzers';
import { pickOsRelease } from '../analyzers';
import { listingsOf, type FileAnalysis, type AnalyzedImage } from '../analyzers';
import type { Digest } from '../image';
import { mergeLayers, type FileTree } from '../layers';
import { originOf, unusedLockfileReason } from './lockfiles';
import { debianMavenCoordinates, withDebianIdentity } from './maven-repo';
import { OS_TYPES, ownersOf } from './ownership';
import type { Inventory, OperatingSystem, Package } from './package';
import { problemsOf } from './problems';
import { ecosystemName, purlOf } from './purl';

export interface AssembleOptions {
  /** Today, for end-of-life status. Injected so reports are reproducible. */
  readonly today: Date;
  /**
   * The final filesystem, when the caller has merged the layers already.
   * @default - merged here from the layers that were read
   */
  readonly tree?: FileTree;
}

/**
 * Applies the layers' findings in order: only files present in the final filesystem count; each
 * package reports the layer since which its version has been there; OS-package file lists give
 * language packages their owner. A lockfile counts only as an application root's inventory
 * (lockfiles.ts), and a jar whose identity was inferred without a group takes the coordinates
 * Debian's Maven repository links it under (maven-repo.ts).
 */
export function assembleInventory(analyzed: AnalyzedImage, options: AssembleOptions): Inventory {
  const listings = listingsOf(analyzed);
  const tree = options.tree ?? mergeLayers(listings);
  const all = finalAnalyses(analyzed.analyses, tree);
  const osRelease = pickOsRelease(
    all.flatMap((a) => (a.result.os ? [{ path: a.path, os: a.result.os }] : [])),
  );
  const owners = ownersOf(
    all,
    all.flatMap((a) => a.result.packages ?? []),
    osRelease,
  );
  const osOwned = (path: string) => owners.has(path);
  const finals = all.filter((a) => unusedLockfileReason(a.path, tree, osOwned) === undefined);
  const debianMaven = debianMavenCoordinates(tree);
  const context: PackageContext = {
    os: osRelease,
    owners,
    declared: declaredLicenses(finals),
    histories: historiesOf(analyzed.analyses),
  };
  const packages = finals.flatMap((analysis) => {
    const found = analysis.result.packages ?? [];
    const identities =
      analysis.analyzer === 'java'
        ? withDebianIdentity(found, debianMaven.get(analysis.path))
        : found;
    return found.map((p, i) => packageOf(analysis, p, identities[i]!, context));
  });
  return {
    os: osRelease ? operatingSystem(osRelease, options.today) : null,
    packages: packages.sort(comparePackages),
    problems: problemsOf(analyzed, listings),
  };
}

interface PackageContext {
  readonly os: OsRelease | undefined;
  readonly owners: ReadonlyMap<string, string>;
  readonly declared: ReadonlyMap<string, readonly string[]>;
  readonly histories: ReadonlyMap<string, History>;
}

/**
 * One package of the report: `found` as the analyser gave it (which layers held it), reported
 * as `p` (the same, or Debian's coordinates for a jar whose identity was inferred).
 */
function packageOf(
  analysis: FileAnalysis,
  found: FoundPackage,
  p: FoundPackage,
  context: PackageContext,
): Package {
  return {
    name: ecosystemName(p),
    version: p.version,
    type: p.type,
    purl: purlOf(p, context.os),
    source: p.source ?? null,
    licenses: p.licenses ?? context.declared.get(`${p.type}\0${p.name}`) ?? [],
    layer: introducedIn(
      found,
      analysis,
      context.histories.get(`${analysis.analyzer}\0${analysis.path}`)!,
    ),
    path: analysis.path,
    origin: originOf(analysis.path),
    ownedBy: OS_TYPES.has(p.type) ? null : (context.owners.get(analysis.path) ?? null),
    dependencies: p.dependencies ?? [],
    supplier: p.supplier ?? null,
  };
}

/** The analysis of each path's final version: the one from the layer the merged tree credits. */
function finalAnalyses(analyses: readonly FileAnalysis[], tree: FileTree): FileAnalysis[] {
  return analyses.filter((a) => tree.get(a.path)?.layer === a.layer);
}

/** One file's versions, layer by layer: what each held, as package keys. */
type History = readonly { readonly analysis: FileAnalysis; readonly keys: ReadonlySet<string> }[];

/** Every file's history, by analyser and path (analyses arrive in layer order). */
function historiesOf(all: readonly FileAnalysis[]): Map<string, History> {
  const histories = new Map<string, { analysis: FileAnalysis; keys: Set<string> }[]>();
  for (const analysis of all) {
    const id = `${analysis.analyzer}\0${analysis.path}`;
    const keys = new Set((analysis.result.packages ?? []).map(packageKey));
    // Appended in place: copying the list per version is quadratic in a layer that repeats a path.
    const history = histories.get(id);
    if (history === undefined) histories.set(id, [{ analysis, keys }]);
    else history.push({ analysis, keys });
  }
  return histories;
}

/** Since which layer the same package version has been in this file, without a break. */
function introducedIn(p: FoundPackage, final: FileAnalysis, history: History): Digest {
  const key = packageKey(p);
  let since = final.layer;
  for (
    let i = history.findIndex((h) => h.analysis === final);
    i >= 0 && history[i]!.keys.has(key);
    i--
  ) {
    since = history[i]!.analysis.layer;
  }
  return since;
}

function packageKey(p: FoundPackage): string {
  return `${p.type}\0${p.namespace ?? ''}\0${p.name}\0${p.version}\0${p.arch ?? ''}`;
}

/** Licences declared beside OS packages, by type and name. */
function declaredLicenses(finals: readonly FileAnalysis[]): Map<string, readonly string[]> {
  const licenses = new Map<string, readonly string[]>();
  for (const l of finals.flatMap((a) => a.result.licenses ?? []))
    licenses.set(`${l.type}\0${l.name}`, l.licenses);
  return licenses;
}

function operatingSystem(os: OsRelease, today: Date): OperatingSystem {
  return {
    id: os.id,
    versionId: os.versionId ?? null,
    versionCodename: os.versionCodename ?? null,
    prettyName: os.prettyName ?? null,
    ...endOfLife(os, today),
  };
}

function comparePackages(a: Package, b: Package): number {
  return (
    compare(a.type, b.type) ||
    compare(a.name, b.name) ||
    compare(a.version, b.version) ||
    compare(a.path, b.path) ||
    compare(a.purl, b.purl)
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
