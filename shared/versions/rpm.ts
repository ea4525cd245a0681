import { InvalidVersionError } from './errors';
import { memoized, type VersionScheme } from './scheme';

/**
 * RPM versions, `[epoch:]version[-release]`, ordered as rpm orders them: the epoch (missing
 * means 0), then the version, then the release, each with `rpmvercmp` (rpmio/rpmvercmp.c); a
 * missing release sorts before any release, as in rpm's `rpmverCmp` (rpmio/rpmver.c, which
 * `rpm.vercmp` uses). The split is rpm's `parseEVR`: the epoch is a leading run of digits ended by
 * `:`, the release follows the last `-`.
 *
 * rpm compares almost any string; valid here is what `rpmbuild` lets into a package: a numeric
 * epoch, and a version and release made of letters, digits and `._+%{}~^` without `..`.
 */
export const rpmScheme: VersionScheme = {
  name: 'rpm',
  isValid: (version) => typeof parse(version) !== 'string',
  compare(a, b) {
    const x = parsed(a);
    const y = parsed(b);
    return (
      rpmvercmp(x.epoch, y.epoch) ||
      rpmvercmp(x.version, y.version) ||
      compareReleases(x.release, y.release)
    );
  },
};

interface Evr {
  readonly epoch: string;
  readonly version: string;
  readonly release: string | undefined;
}

/** rpmbuild's `ALLOWED_CHARS_VERREL` (build/rpmbuild_internal.h) beside letters and digits. */
const VERSION_OR_RELEASE = /^[A-Za-z0-9._+%{}~^]+$/;
const LEADING_DIGITS = /^[0-9]*/;

function parsed(version: string): Evr {
  const result = parse(version);
  if (typeof result === 'string') throw new InvalidVersionError('rpm', version, result);
  return result;
}

const parse = memoized((evr: string): Evr | string => {
  if (evr === '') return 'version string is empty';
  const digits = LEADING_DIGITS.exec(evr)![0];
  const hasEpoch = evr[digits.length] === ':';
  if (hasEpoch && digits === '') return 'epoch before ":" is empty';
  const rest = hasEpoch ? evr.slice(digits.length + 1) : evr;
  const hyphen = rest.lastIndexOf('-');
  const version = hyphen < 0 ? rest : rest.slice(0, hyphen);
  const release = hyphen < 0 ? undefined : rest.slice(hyphen + 1);
  const problem =
    problemOf('version', version) ??
    (release === undefined ? undefined : problemOf('release', release));
  if (problem !== undefined) return problem;
  return { epoch: hasEpoch ? digits : '0', version, release };
});

/** Why rpmbuild would refuse `text` as a Version or Release (its `rpmCharCheck`). */
function problemOf(part: 'version' | 'release', text: string): string | undefined {
  if (text === '') return `${part} is empty`;
  if (!VERSION_OR_RELEASE.test(text))
    return `${part} "${text}" has a character other than letters, digits and ._+%{}~^`;
  if (text.includes('..')) return `${part} "${text}" contains ".."`;
  return undefined;
}

/** rpm's `compare_values`: a missing release sorts before any release. */
function compareReleases(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  return rpmvercmp(a, b);
}

/**
 * rpm's `rpmvercmp`: separators (anything but ASCII letters, digits, `~` and `^`) are skipped;
 * `~` sorts before anything, even the end; `^` sorts after the end but before anything else;
 * then runs of digits (compared as numbers) or of letters (compared as bytes), a number being
 * newer than letters; what is left over wins. Returns -1, 0 or 1.
 */
function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  const at = { a: 0, b: 0 };
  for (;;) {
    at.a = skipSeparators(a, at.a);
    at.b = skipSeparators(b, at.b);
    const special = compareTildeOrCaret(a[at.a], b[at.b]);
    if (special !== undefined) {
      if (special !== 0) return special;
      at.a++;
      at.b++;
      continue;
    }
    if (at.a >= a.length || at.b >= b.length) break;
    const result = compareSegments(a, b, at);
    if (result !== 0) return result;
  }
  if (at.a >= a.length && at.b >= b.length) return 0;
  return at.a >= a.length ? -1 : 1;
}

/** The order `~` or `^` decides, 0 when both have the same one, undefined when neither has. */
function compareTildeOrCaret(x: string | undefined, y: string | undefined): number | undefined {
  if (x === '~' || y === '~') return x === y ? 0 : x === '~' ? -1 : 1;
  if (x !== '^' && y !== '^') return undefined;
  // A caret after a base version sorts after its end: 1.0^git1 > 1.0, but < 1.0.1.
  if (x === undefined) return -1;
  if (y === undefined) return 1;
  return x === y ? 0 : x === '^' ? -1 : 1;
}

/** Compares the digit or letter runs at the cursor, as the one in `a` begins, and moves past them. */
function compareSegments(a: string, b: string, at: { a: number; b: number }): number {
  const numeric = isDigit(a[at.a]);
  const inRun = numeric ? isDigit : isLetter;
  const endA = runEnd(a, at.a, inRun);
  const endB = runEnd(b, at.b, inRun);
  // A number against letters: the number is newer.
  if (endB === at.b) return numeric ? 1 : -1;
  let x = a.slice(at.a, endA);
  let y = b.slice(at.b, endB);
  at.a = endA;
  at.b = endB;
  if (numeric) {
    x = x.replace(/^0+/, '');
    y = y.replace(/^0+/, '');
    if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  }
  return x === y ? 0 : x < y ? -1 : 1;
}

function skipSeparators(text: string, from: number): number {
  let i = from;
  while (i < text.length && !isDigit(text[i]) && !isLetter(text[i]) && !'~^'.includes(text[i]!))
    i++;
  return i;
}

function runEnd(text: string, from: number, inRun: (c: string | undefined) => boolean): number {
  let i = from;
  while (inRun(text[i])) i++;
  return i;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isLetter(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}
