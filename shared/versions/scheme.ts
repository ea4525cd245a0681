/**
 * A version scheme orders versions exactly as one package manager does. Each lives in its own
 * file and is listed once in index.ts; vulnerability matching asks the scheme of the advisory's
 * ecosystem, never a generic comparison.
 */
export type VersionSchemeName =
  | 'dpkg'
  | 'apk'
  | 'rpm'
  | 'npm'
  | 'cargo'
  | 'go'
  | 'pep440'
  | 'maven'
  | 'rubygems'
  | 'nuget'
  | 'composer';

export interface VersionScheme {
  readonly name: VersionSchemeName;
  /** Whether the package manager accepts `version` as a version. */
  isValid(version: string): boolean;
  /**
   * Negative when `a` sorts before `b`, zero when the package manager treats them as equal,
   * positive after. Throws {@link InvalidVersionError} when either does not parse: a version
   * that cannot be placed is a reported problem, never a silent "not affected".
   */
  compare(a: string, b: string): number;
}

/** Parsed versions kept per scheme; past this many the cache starts over. */
const MAX_MEMOIZED = 20_000;

/**
 * `parse` with its results kept: a scan compares each installed version with the events of many
 * advisories, and the same event versions recur across advisories. A version that does not
 * parse throws each time, as `parse` does.
 */
export function memoized<T>(parse: (version: string) => T): (version: string) => T {
  const cache = new Map<string, T>();
  return (version) => {
    let value = cache.get(version);
    if (value === undefined) {
      if (cache.size >= MAX_MEMOIZED) cache.clear();
      value = parse(version);
      cache.set(version, value);
    }
    return value;
  };
}

/** The schemes that order an entry's ranges: its ecosystem's, and SemVer for SEMVER ranges. */
export interface RangeSchemes {
  readonly ecosystem: VersionScheme;
  readonly semver: VersionScheme;
}
