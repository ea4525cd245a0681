/**
 * The analyser contract (STYLE.md §2–3): one file per ecosystem, listed once in index.ts.
 * An analyser names the paths it wants and turns one file's bytes into what it found. It never
 * sees tarballs, layers, S3 or HTTP; the engine walks layers, applies whiteouts and limits.
 */

/** Package types, as purl types (https://github.com/package-url/purl-spec). */
export type PackageType =
  | 'deb'
  | 'apk'
  | 'rpm'
  | 'npm'
  | 'pypi'
  | 'golang'
  | 'maven'
  | 'gem'
  | 'composer'
  | 'cargo'
  | 'nuget';

/** A package as one file declares it. The inventory adds layer, purl and ownership. */
export interface FoundPackage {
  readonly type: PackageType;
  readonly name: string;
  readonly version: string;
  /**
   * The purl namespace where the ecosystem has its own (npm scope, maven groupId, golang module
   * path, composer vendor). OS packages leave it out: the inventory takes it from the OS.
   */
  readonly namespace?: string;
  /** CPU architecture as the package manager writes it (`amd64`, `x86_64`, `noarch`). */
  readonly arch?: string;
  /** rpm epoch, dpkg epoch is part of `version`. */
  readonly epoch?: number;
  /** The source package (deb `Source:`, rpm source rpm, apk origin). */
  readonly source?: { readonly name: string; readonly version?: string };
  /** Declared licences, as written (SPDX expressions where the format uses them). */
  readonly licenses?: readonly string[];
  /** Names of the packages this one depends on, where the format records them. */
  readonly dependencies?: readonly string[];
  /** Files the package installed (OS package managers), normalised like every path here. */
  readonly files?: readonly string[];
  /** Vendor or maintainer, where declared. */
  readonly supplier?: string;
  /** Extra purl qualifiers the ecosystem defines. */
  readonly qualifiers?: Readonly<Record<string, string>>;
  /**
   * The identity was inferred from weaker evidence than the package's own metadata (a Java
   * archive's file name and manifest): the inventory may replace it with one the OS declares.
   */
  readonly inferred?: boolean;
}

/** The distribution an image is built on, from os-release and its fallbacks. */
export interface OsRelease {
  /** `ID`: debian, ubuntu, alpine, rhel, amzn, rocky, almalinux, wolfi, chainguard, … */
  readonly id: string;
  readonly versionId?: string;
  readonly versionCodename?: string;
  readonly prettyName?: string;
  readonly idLike?: readonly string[];
}

/** Files owned by an OS package, declared apart from its database entry (dpkg `info/*.list`). */
export interface FileOwnership {
  readonly type: PackageType;
  /** Package name as the package manager names it (dpkg may add `:arch`). */
  readonly name: string;
  readonly files: readonly string[];
}

/** Licences of an OS package declared apart from its database entry (Debian `copyright` files). */
export interface PackageLicenses {
  readonly type: PackageType;
  readonly name: string;
  readonly licenses: readonly string[];
}

/** One file handed to an analyser. */
export interface AnalyzerFile {
  /** Normalised path relative to the image root, no leading `/`. */
  readonly path: string;
  /** The whole file, or its beginning when `truncated`; empty for a spilled range-read file. */
  readonly bytes: Buffer;
  /** `bytes` is not the whole file (larger than the engine's `maxFileBytes`, or spilled). */
  readonly truncated: boolean;
  /** The file's size in bytes. */
  readonly size: number;
  /**
   * Up to `length` bytes at `position`. For an analyser that `readsRanges` this reaches the
   * whole file however large; otherwise only `bytes`. Valid until `analyze` settles.
   */
  read(position: number, length: number): Promise<Buffer>;
}

/** What `wants` may look at besides the path, without reading the file. */
export interface AnalyzerFileInfo {
  /** Permission bits as the tar header gives them (`0o755`). */
  readonly mode: number;
  readonly size: number;
}

/**
 * What analysers find besides packages, by kind. The contract names no kind of its own: an
 * analyser family adds its kind here by declaration merging, beside the analyser that reports it
 * (`declare module '…/analyzers/analyzer'`): the secrets scanner's `secrets`, the sensitive-file
 * check's `sensitiveFiles`, the Go analyser's `goBinary`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface AnalyzerFindings {}

/** What an analyser found in one file. Malformed content is a problem, not an exception. */
export interface AnalyzerResult extends Partial<AnalyzerFindings> {
  readonly packages?: readonly FoundPackage[];
  readonly os?: OsRelease;
  readonly ownership?: readonly FileOwnership[];
  readonly licenses?: readonly PackageLicenses[];
  /** What could not be read; `path` defaults to the file analysed. */
  readonly problems?: readonly { readonly reason: string; readonly path?: string }[];
}

export interface Analyzer {
  /** Stable identifier, used in problems, caches and reports. */
  readonly name: string;
  /** Bumped whenever the analyser's output for the same bytes can change (cache keys, audit). */
  readonly version: number;
  /** Whether the analyser reads the file at `path`. Called for every regular file: keep it cheap. */
  wants(path: string, info: AnalyzerFileInfo): boolean;
  /**
   * The analyser reads files by range with `read` (executables, whose metadata sits anywhere in
   * a file of any size). The engine then never cuts such a file, and keeps a large one in a
   * temporary file rather than in memory.
   */
  readonly readsRanges?: boolean;
  /** Reads one file. Throwing is allowed but reported as a problem; prefer `problems`. */
  analyze(file: AnalyzerFile): AnalyzerResult | Promise<AnalyzerResult>;
}
