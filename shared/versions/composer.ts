import { InvalidVersionError } from './errors';
import type { VersionScheme } from './scheme';

/**
 * Packagist versions, ordered as Composer orders them: `VersionParser::normalize`, then
 * `Comparator::compare` on the normal forms, which is PHP's `version_compare`
 * (https://github.com/composer/semver, src/VersionParser.php and src/Comparator.php;
 * https://www.php.net/version_compare). Normalising reads `v2.8.1`, `1.0.0-beta2`, `2.0.0-RC1`,
 * `1.0-patch1` (also `-pl1`, `-p1`), `1.0.0.0`, `1.0.x-dev` and date versions such as
 * `2023-01-01`, drops `+build` metadata, `@stability` flags and ` as …` aliases, and fills four
 * numbers (`1.0` is `1.0.0.0`). Stabilities order dev < alpha < beta < RC < stable < patch.
 *
 * Branch versions (`dev-master`, `master`, `dev-feature/x`) are refused: Composer never places
 * them in a version range (its Constraint matches a branch only by name), so a range cannot say
 * whether one is affected. Numbered branches such as `5.4.x-dev` normalise to a number
 * (`5.4.9999999.9999999-dev`) and are ordered as Composer orders them.
 *
 * Followed to the letter, quirks included: numbers beyond PHP's 64-bit integers compare as
 * PHP_INT_MAX (version_compare's strtol), and a stability written in capitals other than `RC`
 * (`1.0-STABLE`, not `1.0-stable`) is kept as a word version_compare does not know, which sorts
 * before `dev`.
 */
export const composerScheme: VersionScheme = {
  name: 'composer',
  isValid: (version) => {
    const normalized = normalize(version);
    return normalized !== undefined && !isBranch(normalized);
  },
  compare(a, b) {
    return compareNormalized(normalizeComposerVersion(a), normalizeComposerVersion(b));
  },
};

/**
 * Composer's normal form of `version` (`1.0.0-beta2` → `1.0.0.0-beta2`); throws
 * {@link InvalidVersionError} where normalize() throws and for branch versions.
 */
export function normalizeComposerVersion(version: string): string {
  const normalized = normalize(version);
  if (normalized === undefined)
    throw new InvalidVersionError('composer', version, 'Composer cannot normalise it');
  if (isBranch(normalized))
    throw new InvalidVersionError('composer', version, 'a branch, which no version range places');
  return normalized;
}

/** What PHP's trim() removes: not form feed, not non-ASCII spaces. */
const PHP_TRIM = /^[ \t\n\r\0\v]+|[ \t\n\r\0\v]+$/g;
/** PCRE's `\s` on bytes, in a character class. */
const SPACE = '\\t\\n\\v\\f\\r ';
/** PCRE's `$` without the D modifier also matches before a final newline. */
const END = '(?=\\n?$)';
/**
 * Composer's modifier. Its possessive `((?:[.-]?\d+)*+)`, which JavaScript lacks, is written
 * so that digits split one way only: the same matches without the exponential backtracking.
 */
const MODIFIER =
  '[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\\d+(?:[.-]\\d+)*)?))?([.-]?dev)?' + END;
const ALIAS = new RegExp(`^([^,${SPACE}]+) +as +([^,${SPACE}]+)${END}`);
const STABILITY_FLAG = new RegExp(`@(?:stable|RC|beta|alpha|dev)${END}`, 'i');
const BUILD_METADATA = new RegExp(`^([^,${SPACE}+]+)\\+[^${SPACE}]+${END}`);
const CLASSICAL = new RegExp(`^v?(\\d{1,5})(\\.\\d+)?(\\.\\d+)?(\\.\\d+)?${MODIFIER}`, 'i');
const DATE = new RegExp(`^v?(\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3})?)${MODIFIER}`, 'i');
/** PCRE's `.` is anything but a newline. */
const DEV_SUFFIX = new RegExp(`([^\\n]*?)[.-]?dev${END}`, 'i');
const NUMBERED_BRANCH = new RegExp(`^v?(\\d+)${'(\\.(?:\\d+|[xX*]))?'.repeat(3)}${END}`, 'i');
const DEFAULT_BRANCHES: ReadonlySet<string> = new Set(['master', 'trunk', 'default']);
/** Where normalizeBranch() puts a wildcard (`x`, `X`, `*`). */
const BRANCH_WILDCARD = '9999999';

/** VersionParser::normalize, step by step; undefined where it throws. */
function normalize(input: string): string | undefined {
  let version = input.replace(PHP_TRIM, '');
  version = ALIAS.exec(version)?.[1] ?? version;
  const flag = STABILITY_FLAG.exec(version);
  if (flag) version = version.slice(0, version.length - flag[0].length);
  if (DEFAULT_BRANCHES.has(version)) version = `dev-${version}`;
  if (/^dev-/i.test(version)) return `dev-${version.slice(4)}`;
  version = BUILD_METADATA.exec(version)?.[1] ?? version;
  const classical = CLASSICAL.exec(version);
  if (classical) {
    const [, major, minor, patch, revision] = classical;
    const numbers = `${major}${minor || '.0'}${patch || '.0'}${revision || '.0'}`;
    return withModifier(numbers, classical.slice(5));
  }
  const date = DATE.exec(version);
  if (date) return withModifier(date[1]!.replace(/\D/g, '.'), date.slice(2));
  const dev = DEV_SUFFIX.exec(version);
  return dev ? numberedBranch(dev[1]!) : undefined;
}

function withModifier(numbers: string, modifier: (string | undefined)[]): string {
  const [stability, number, dev] = modifier;
  let version = numbers;
  if (stability) {
    if (stability === 'stable') return version;
    version += `-${expandStability(stability)}${(number ?? '').replace(/^[.-]+/, '')}`;
  }
  return dev ? `${version}-dev` : version;
}

function expandStability(stability: string): string {
  const lower = stability.toLowerCase();
  const expanded: Readonly<Record<string, string>> = { a: 'alpha', b: 'beta', p: 'patch' };
  return lower === 'rc' ? 'RC' : lower === 'pl' ? 'patch' : (expanded[lower] ?? lower);
}

/** normalizeBranch() for a `…-dev` version: only numbered branches are versions. */
function numberedBranch(name: string): string | undefined {
  const match = NUMBERED_BRANCH.exec(name.replace(PHP_TRIM, ''));
  if (!match) return undefined;
  const parts = match.slice(1, 5).map((part, i) => part ?? (i === 0 ? '' : '.x'));
  return `${parts.join('').replace(/[xX*]/g, BRANCH_WILDCARD)}-dev`;
}

function isBranch(normalized: string): boolean {
  return normalized.startsWith('dev-');
}

/** PHP's version_compare(): canonical segments compared one by one. */
function compareNormalized(a: string, b: string): number {
  return compareSegments(canonicalSegments(a), canonicalSegments(b));
}

/**
 * php_canonicalize_version(): `-`, `_`, `+` and other non-alphanumerics become a dot, a dot goes
 * between a digit and a letter, and dots do not repeat.
 */
function canonicalSegments(version: string): string[] {
  let canonical = version.charAt(0);
  for (let i = 1; i < version.length; i++) {
    const [previous, char] = [version[i - 1]!, version[i]!];
    const dot = canonical.endsWith('.') ? '' : '.';
    if ('-_+'.includes(char)) canonical += dot;
    else if (isBoundary(previous, char)) canonical += dot + char;
    else canonical += /[0-9A-Za-z]/.test(char) ? char : dot;
  }
  return canonical.split('.');
}

/** A digit next to something other than a digit or a dot. */
function isBoundary(previous: string, char: string): boolean {
  const kind = (c: string) => (c === '.' ? 'dot' : isDigit(c) ? 'digit' : 'other');
  const pair = `${kind(previous)} ${kind(char)}`;
  return pair === 'digit other' || pair === 'other digit';
}

function compareSegments(a: readonly string[], b: readonly string[]): number {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const result = compareSegment(a[i]!, b[i]!);
    if (result !== 0) return result;
  }
  // A longer version is newer when its next segment is a number, else as that word against one.
  if (a.length > shared) return isDigit(a[shared]!) ? 1 : compareSegments(a.slice(shared), ['#']);
  if (b.length > shared) return isDigit(b[shared]!) ? -1 : compareSegments(['#'], b.slice(shared));
  return 0;
}

/** C's strtol saturates at LONG_MAX. */
const PHP_INT_MAX = 2n ** 63n - 1n;

function compareSegment(a: string, b: string): number {
  if (isDigit(a) && isDigit(b)) {
    const [x, y] = [BigInt(a), BigInt(b)].map((n) => (n > PHP_INT_MAX ? PHP_INT_MAX : n));
    return x === y ? 0 : x! < y! ? -1 : 1;
  }
  return Math.sign(specialForm(isDigit(a) ? '#' : a) - specialForm(isDigit(b) ? '#' : b));
}

/** version_compare's special forms, matched as prefixes in this order; `#` is any number. */
const SPECIAL_FORMS: readonly (readonly [string, number])[] = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];

function specialForm(word: string): number {
  return SPECIAL_FORMS.find(([form]) => word.startsWith(form))?.[1] ?? -1;
}

function isDigit(text: string): boolean {
  return /^[0-9]/.test(text);
}
