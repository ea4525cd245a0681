import { InvalidVersionError } from './errors';
import { memoized, type VersionScheme } from './scheme';

/**
 * Debian package versions, `[epoch:]upstream[-revision]`, ordered as dpkg orders them
 * (https://www.debian.org/doc/debian-policy/ch-controlfields.html#version and dpkg's
 * lib/dpkg/version.c). Valid is what `dpkg --compare-versions` accepts: dpkg only warns about an
 * upstream part that does not start with a digit or about unusual characters, and compares such
 * versions anyway, so they are valid here too. The empty string, which `--compare-versions`
 * reads as "no version", is not a version.
 */
export const dpkgScheme: VersionScheme = {
  name: 'dpkg',
  isValid: (version) => typeof parse(version) !== 'string',
  compare(a, b) {
    const x = parsed(a);
    const y = parsed(b);
    if (x.epoch !== y.epoch) return x.epoch < y.epoch ? -1 : 1;
    return verrevcmp(x.upstream, y.upstream) || verrevcmp(x.revision, y.revision);
  },
};

interface DpkgVersion {
  readonly epoch: number;
  /** UTF-8 bytes: dpkg compares bytes, and a non-ASCII byte orders as a (signed) C `char`. */
  readonly upstream: Uint8Array;
  readonly revision: Uint8Array;
}

/** dpkg stores the epoch in an `int`. */
const MAX_EPOCH = 2_147_483_647;
const BLANKS = /^[ \t]+|[ \t]+$/g;
/** What `strtol` reads: C-locale white space, a sign, decimal digits. */
const STRTOL_PREFIX = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)/;
const utf8 = new TextEncoder();

function parsed(version: string): DpkgVersion {
  const result = parse(version);
  if (typeof result === 'string') throw new InvalidVersionError('dpkg', version, result);
  return result;
}

/**
 * The version, or why dpkg refuses it; the checks and their order follow dpkg's
 * `parseversion()` (lib/dpkg/parsehelp.c), including its trimming of blanks at either end.
 */
const parse = memoized((version: string): DpkgVersion | string => {
  if (version.includes('\0')) return 'version string contains a NUL character';
  const trimmed = version.replace(BLANKS, '');
  if (trimmed === '') return 'version string is empty';
  if (/[ \t]/.test(trimmed)) return 'version string has embedded spaces';
  const colon = trimmed.indexOf(':');
  const epoch = colon < 0 ? 0 : parseEpoch(trimmed.slice(0, colon));
  if (typeof epoch === 'string') return epoch;
  const rest = trimmed.slice(colon + 1);
  if (colon >= 0 && rest === '') return 'nothing after colon in version number';
  // The revision starts after the last hyphen; the upstream version may contain hyphens.
  const hyphen = rest.lastIndexOf('-');
  const upstream = hyphen < 0 ? rest : rest.slice(0, hyphen);
  const revision = hyphen < 0 ? '' : rest.slice(hyphen + 1);
  if (hyphen >= 0 && revision === '') return 'revision number is empty';
  if (upstream === '') return 'upstream version is empty';
  return { epoch, upstream: utf8.encode(upstream), revision: utf8.encode(revision) };
});

/** The epoch as dpkg reads it with `strtol`, or why it refuses it. */
function parseEpoch(text: string): number | string {
  const match = STRTOL_PREFIX.exec(text);
  if (!match) return 'epoch in version is empty';
  if (match[0].length !== text.length) return 'epoch in version is not number';
  const digits = match[2]!.replace(/^0+(?=.)/, '');
  if (match[1] === '-' && digits !== '0') return 'epoch in version is negative';
  if (digits.length > String(MAX_EPOCH).length || Number(digits) > MAX_EPOCH)
    return 'epoch in version is too big';
  return Number(digits);
}

/**
 * dpkg's `verrevcmp`: alternately a run of non-digits, compared character by character with
 * {@link order}, and a run of digits, compared as a number. Returns -1, 0 or 1.
 */
function verrevcmp(a: Uint8Array, b: Uint8Array): number {
  const at = { a: 0, b: 0 };
  while (at.a < a.length || at.b < b.length) {
    const result = compareNonDigits(a, b, at) || compareDigits(a, b, at);
    if (result !== 0) return Math.sign(result);
  }
  return 0;
}

interface Cursor {
  a: number;
  b: number;
}

function compareNonDigits(a: Uint8Array, b: Uint8Array, at: Cursor): number {
  while (isNonDigit(a[at.a]) || isNonDigit(b[at.b])) {
    const difference = order(a[at.a]) - order(b[at.b]);
    if (difference !== 0) return difference;
    at.a++;
    at.b++;
  }
  return 0;
}

function compareDigits(a: Uint8Array, b: Uint8Array, at: Cursor): number {
  while (a[at.a] === ZERO) at.a++;
  while (b[at.b] === ZERO) at.b++;
  let firstDifference = 0;
  while (isDigit(a[at.a]) && isDigit(b[at.b])) {
    if (firstDifference === 0) firstDifference = a[at.a]! - b[at.b]!;
    at.a++;
    at.b++;
  }
  // The longer number (leading zeros skipped) is the larger one.
  if (isDigit(a[at.a])) return 1;
  if (isDigit(b[at.b])) return -1;
  return firstDifference;
}

const ZERO = 0x30;
const NINE = 0x39;
const TILDE = 0x7e;

/**
 * dpkg's weight of a character outside a digit run: the end of the string (and a digit) 0,
 * `~` below that, letters by their code, anything else after all letters. dpkg's `char` is
 * signed, so a byte ≥ 0x80 weighs `byte - 256 + 256`: above letters, below ASCII punctuation.
 */
function order(byte: number | undefined): number {
  if (byte === undefined || isDigit(byte)) return 0;
  if (isLetter(byte)) return byte;
  if (byte === TILDE) return -1;
  return byte < 0x80 ? byte + 256 : byte;
}

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= ZERO && byte <= NINE;
}

function isNonDigit(byte: number | undefined): boolean {
  return byte !== undefined && !isDigit(byte);
}

function isLetter(byte: number): boolean {
  return (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
}
