import { InvalidVersionError } from './errors';
import { memoized, type VersionScheme } from './scheme';

/**
 * crates.io versions, as Cargo's `semver` crate parses them (semver 1.x, `Version::parse`) and
 * SemVer 2.0 orders them (https://semver.org/#spec-item-11): the same order as npm's for any
 * version both accept. Build metadata is ignored: crates.io refuses a version that differs from
 * a published one only there, and OSV compares without it (the crate's `Ord` alone breaks ties
 * on it). Where Cargo differs from npm's `semver`:
 * - it refuses a leading `v` and surrounding white space, which npm's package tolerates;
 * - numbers go up to `u64::MAX`, not `Number.MAX_SAFE_INTEGER`;
 * - numeric prerelease identifiers of any length compare exactly (npm reads long ones as
 *   doubles, so `1.0.0-99999999999999999999` equals `…98` there).
 * Leading zeros are refused in both (in MAJOR.MINOR.PATCH and numeric prerelease identifiers;
 * build metadata may have them).
 */
export const cargoScheme: VersionScheme = {
  name: 'cargo',
  isValid: (version) => typeof parse(version) !== 'string',
  compare(a, b) {
    return compareSemverPrecedence(parsed(a), parsed(b));
  },
};

/** A SemVer version as precedence sees it: no build metadata. */
export interface SemverPrecedence {
  /** MAJOR, MINOR and PATCH in decimal without leading zeros, of any size. */
  readonly core: readonly [string, string, string];
  /** The prerelease identifiers; empty for a release. */
  readonly prerelease: readonly string[];
}

/**
 * SemVer 2.0 precedence (§11): MAJOR, MINOR, PATCH numerically; a prerelease before its
 * release; prerelease identifiers one by one, numeric ones numerically and before alphanumeric
 * ones, which compare in ASCII order; a longer list after its prefix.
 */
export function compareSemverPrecedence(a: SemverPrecedence, b: SemverPrecedence): number {
  for (let i = 0; i < 3; i++) {
    const result = compareNumbers(a.core[i]!, b.core[i]!);
    if (result !== 0) return result;
  }
  if (a.prerelease.length === 0 || b.prerelease.length === 0)
    return Math.sign(b.prerelease.length - a.prerelease.length);
  for (let i = 0; i < Math.min(a.prerelease.length, b.prerelease.length); i++) {
    const result = compareIdentifiers(a.prerelease[i]!, b.prerelease[i]!);
    if (result !== 0) return result;
  }
  return Math.sign(a.prerelease.length - b.prerelease.length);
}

const SEMVER =
  /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const U64_MAX = 18_446_744_073_709_551_615n;
const NUMERIC = /^[0-9]+$/;

function parsed(version: string): SemverPrecedence {
  const result = parse(version);
  if (typeof result === 'string') throw new InvalidVersionError('cargo', version, result);
  return result;
}

/** The version, or why the `semver` crate refuses it. */
const parse = memoized((version: string): SemverPrecedence | string => {
  const match = SEMVER.exec(version);
  if (match === null)
    return 'expected MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD] without leading zeros or a "v"';
  const core = [match[1]!, match[2]!, match[3]!] as const;
  if (core.some((number) => BigInt(number) > U64_MAX)) return 'a number exceeds u64::MAX';
  const prerelease = match[4]?.split('.') ?? [];
  if (prerelease.some((id) => NUMERIC.test(id) && id.length > 1 && id.startsWith('0')))
    return 'invalid leading zero in pre-release identifier';
  return { core, prerelease };
});

/** Decimal numbers without leading zeros: the longer is larger, else the first digit that differs. */
function compareNumbers(a: string, b: string): number {
  if (a.length !== b.length) return Math.sign(a.length - b.length);
  return a === b ? 0 : a < b ? -1 : 1;
}

function compareIdentifiers(a: string, b: string): number {
  const [numericA, numericB] = [NUMERIC.test(a), NUMERIC.test(b)];
  if (numericA && numericB) return compareNumbers(a, b);
  if (numericA !== numericB) return numericA ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}
