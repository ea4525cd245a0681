import { InvalidVersionError } from './errors';
import type { VersionScheme } from './scheme';

/**
 * Alpine package versions, `digits{.digits}[letter]{_suffix[digits]}[~hash][-rN]`, ordered as
 * apk-tools orders them (src/version.c, test/unit/version.data). Versions are compared token by
 * token; at the first difference in kind, a pre-release suffix (`_alpha _beta _pre _rc`) sorts
 * before whatever the other has, and otherwise the version whose next token comes earlier in
 * that grammar is newer (`1.0_p1 > 1.0`, `1.0-r1 > 1.0`, `1.0.1 > 1.0a`). Valid is what
 * `apk_version_validate` accepts.
 */
export const apkScheme: VersionScheme = {
  name: 'apk',
  isValid: (version) => typeof tokenize(version) !== 'string',
  compare(a, b) {
    const x = tokenized(a);
    const y = tokenized(b);
    let i = 0;
    while (x[i]!.kind === y[i]!.kind && x[i]!.kind !== Kind.End) {
      const result = compareTokens(x[i]!, y[i]!);
      if (result !== 0) return result;
      i++;
    }
    return compareKinds(x[i]!, y[i]!);
  },
};

/** Token kinds in grammar order; the order itself decides a comparison of unlike tokens. */
const Kind = {
  InitialDigit: 0,
  Digit: 1,
  Letter: 2,
  Suffix: 3,
  SuffixNumber: 4,
  CommitHash: 5,
  Revision: 6,
  End: 7,
} as const;
type Kind = (typeof Kind)[keyof typeof Kind];

interface Token {
  readonly kind: Kind;
  /** The token's characters: digits, the letter, the suffix word or the hash. */
  readonly text: string;
}

/** Suffix ranks: below {@link NO_SUFFIX} are pre-releases, above it post-releases. */
const SUFFIXES: Readonly<Record<string, number>> = {
  alpha: 1,
  beta: 2,
  pre: 3,
  rc: 4,
  cvs: 6,
  svn: 7,
  git: 8,
  hg: 9,
  p: 10,
};
const NO_SUFFIX = 5;
/** apk parses numbers into a `uint64_t` without an overflow check: longer ones wrap. */
const SAFE_DIGITS = 15;

function tokenized(version: string): Token[] {
  const result = tokenize(version);
  if (typeof result === 'string') throw new InvalidVersionError('apk', version, result);
  return result;
}

/** The tokens, ending with an End token, or why apk refuses the version. */
function tokenize(version: string): Token[] | string {
  const first = /^[0-9]+/.exec(version)?.[0];
  if (first === undefined) return 'must start with a digit';
  const tokens: Token[] = [{ kind: Kind.InitialDigit, text: first }];
  let at = first.length;
  while (at < version.length) {
    const previous = tokens[tokens.length - 1]!.kind;
    const next = nextToken(version, at, previous);
    if (next === undefined)
      return `unexpected "${version.slice(at)}" after "${version.slice(0, at)}"`;
    tokens.push(next.token);
    at = next.end;
  }
  tokens.push({ kind: Kind.End, text: '' });
  return tokens;
}

interface Scanned {
  readonly token: Token;
  readonly end: number;
}

/**
 * What may follow what (apk's `token_next`), each told apart by its first character: a letter
 * only right after digits; `.digits` only after digits; `_suffix` up to suffix numbers; one
 * `~hash` (lower-case hex); one `-rN`, last.
 */
const RULES: readonly { pattern: RegExp; kind: Kind; follows: (previous: Kind) => boolean }[] = [
  { pattern: /[a-z]/y, kind: Kind.Letter, follows: (p) => p <= Kind.Digit },
  { pattern: /\.([0-9]+)/y, kind: Kind.Digit, follows: (p) => p <= Kind.Digit },
  { pattern: /[0-9]+/y, kind: Kind.SuffixNumber, follows: (p) => p === Kind.Suffix },
  { pattern: /_([a-z]+)/y, kind: Kind.Suffix, follows: (p) => p <= Kind.SuffixNumber },
  { pattern: /~([0-9a-f]+)/y, kind: Kind.CommitHash, follows: (p) => p < Kind.CommitHash },
  { pattern: /-r([0-9]+)/y, kind: Kind.Revision, follows: (p) => p < Kind.Revision },
];

/** The token starting at `at`, if the grammar allows it after a `previous` one. */
function nextToken(version: string, at: number, previous: Kind): Scanned | undefined {
  for (const { pattern, kind, follows } of RULES) {
    pattern.lastIndex = at;
    const match = pattern.exec(version);
    if (match === null) continue;
    const text = match[1] ?? match[0];
    if (!follows(previous)) return undefined;
    if (kind === Kind.Suffix && !Object.hasOwn(SUFFIXES, text)) return undefined;
    return { token: { kind, text }, end: at + match[0].length };
  }
  return undefined;
}

/** apk's `token_cmp` for two tokens of the same kind. */
function compareTokens(a: Token, b: Token): number {
  switch (a.kind) {
    case Kind.Digit:
      // A leading zero makes the part a fraction-like string (Gentoo's rule): 1.01 < 1.1.
      if (a.text.startsWith('0') || b.text.startsWith('0')) return compareStrings(a.text, b.text);
      return compareNumbers(a.text, b.text);
    case Kind.InitialDigit:
    case Kind.SuffixNumber:
    case Kind.Revision:
      return compareNumbers(a.text, b.text);
    case Kind.Suffix:
      return Math.sign(SUFFIXES[a.text]! - SUFFIXES[b.text]!);
    default:
      // A letter by its code, a commit hash as a string.
      return compareStrings(a.text, b.text);
  }
}

/**
 * Equal so far, but the next tokens differ in kind (apk's tail of `apk_version_compare_fuzzy`):
 * a pre-release suffix is older than anything; otherwise the later kind in the grammar is older.
 */
function compareKinds(a: Token, b: Token): number {
  if (a.kind === b.kind) return 0;
  if (a.kind === Kind.Suffix && SUFFIXES[a.text]! < NO_SUFFIX) return -1;
  if (b.kind === Kind.Suffix && SUFFIXES[b.text]! < NO_SUFFIX) return 1;
  return a.kind > b.kind ? -1 : 1;
}

function compareNumbers(a: string, b: string): number {
  if (a.length <= SAFE_DIGITS && b.length <= SAFE_DIGITS) return Math.sign(Number(a) - Number(b));
  const x = BigInt.asUintN(64, BigInt(a));
  const y = BigInt.asUintN(64, BigInt(b));
  return x === y ? 0 : x < y ? -1 : 1;
}

function compareStrings(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
