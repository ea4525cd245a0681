import type { FileOwnership, FoundPackage, OsRelease } from '../analyzers/analyzer';
import { endOfLife } from '../analyzers/eol';
import { pickOsRelease } from '../analyzers/os-release';
import { listingsOf, type FileAnalysis, type AnalyzedImage } from '../analyzers/run';
import type { Digest } from '../image/digest';
import { mergeLayers, type FileTree } from '../layers/file-tree';
import { MAX_LAYER_PROBLEMS, type LayerListing } from '../layers/listing';
import { isSupersededLockfile } from './lockfiles';
import type { Inventory, InventoryProblem, OperatingSystem, Package } from './package';
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
 * language packages their owner.
 */
export function assembleInventory(analyzed: AnalyzedImage, options: AssembleOptions): Inventory {
  const listings = listingsOf(analyzed);
  const tree = options.tree ?? mergeLayers(listings);
  const finals = finalAnalyses(analyzed.analyses, tree).filter(
    (a) => !isSupersededLockfile(a.path, tree),
  );
  const osRelease = pickOsRelease(
    finals.flatMap((a) => (a.result.os ? [{ path: a.path, os: a.result.os }] : [])),
  );
  const found = finals.flatMap((a) =>
    (a.result.packages ?? []).map((p) => ({ analysis: a, found: p })),
  );
  const declared = declaredLicenses(finals);
  const histories = historiesOf(analyzed.analyses);
  const owners = ownersOf(
    finals,
    found.map((f) => f.found),
    osRelease,
  );
  const packages = found.map(({ analysis, found: p }) => ({
    name: ecosystemName(p),
    version: p.version,
    type: p.type,
    purl: purlOf(p, osRelease),
    source: p.source ?? null,
    licenses: p.licenses ?? declared.get(`${p.type}\0${p.name}`) ?? [],
    layer: introducedIn(p, analysis, histories.get(`${analysis.analyzer}\0${analysis.path}`)!),
    path: analysis.path,
    ownedBy: OS_TYPES.has(p.type) ? null : (owners.get(analysis.path) ?? null),
    dependencies: p.dependencies ?? [],
    supplier: p.supplier ?? null,
  }));
  return {
    os: osRelease ? operatingSystem(osRelease, options.today) : null,
    packages: packages.sort(comparePackages),
    problems: problemsOf(analyzed, listings),
  };
}

const OS_TYPES: ReadonlySet<string> = new Set(['deb', 'apk', 'rpm']);

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

/** file path → purl of the OS package that installed it. */
function ownersOf(
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

/**
 * Layers that could not be read, the problems each listing kept (at most MAX_LAYER_PROBLEMS)
 * and the analysers' problems, of which each layer lists as many: what a layer has beyond that
 * is said in one line with its number. Appended one by one: spreading a list of a million
 * problems into `push` overflows the stack.
 */
function problemsOf(
  analyzed: AnalyzedImage,
  listings: readonly LayerListing[],
): InventoryProblem[] {
  const problems: InventoryProblem[] = [];
  for (const r of analyzed.layers)
    if (!r.ok) problems.push({ layer: r.layer.descriptor.digest, reason: r.error.message });
  for (const l of listings) {
    for (const problem of l.problems) problems.push(problem);
    moreLine(problems, l.digest, l.problemCount - l.problems.length, 'problems');
  }
  const perLayer = new Map<Digest, number>();
  for (const a of analyzed.analyses) {
    for (const p of a.result.problems ?? []) {
      const seen = (perLayer.get(a.layer) ?? 0) + 1;
      perLayer.set(a.layer, seen);
      if (seen <= MAX_LAYER_PROBLEMS)
        problems.push({
          layer: a.layer,
          path: p.path ?? a.path,
          reason: `${a.analyzer}: ${p.reason}`,
        });
    }
  }
  for (const [layer, seen] of perLayer)
    moreLine(problems, layer, seen - MAX_LAYER_PROBLEMS, 'problems found by the analysers');
  return problems;
}

/** `… and N more <what> in this layer`, when N is positive. */
function moreLine(problems: InventoryProblem[], layer: Digest, more: number, what: string): void {
  if (more > 0) problems.push({ layer, reason: `… and ${more} more ${what} in this layer` });
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
