import { VERSION_PATTERN } from '@renovatebot/pep440/lib/version';
import { InvalidVersionError } from './errors';
import { memoized, type VersionScheme } from './scheme';

/**
 * Python package versions, ordered as PEP 440 (https://peps.python.org/pep-0440/) and Python's
 * `packaging.version.Version` order them: `[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]`, with
 * the spellings PEP 440 normalises (`1.0-beta.2`, `1.0c1`, `1.0-1`, `v1.0`, any case, white
 * space around). Validity is the grammar of `@renovatebot/pep440` (packaging's `VERSION_PATTERN`)
 * with packaging's surrounding white space. The ordering is packaging's `_cmpkey`, written here
 * rather than taken from `@renovatebot/pep440`'s `compare`, which differs from packaging in
 * three ways the differential tests found: it reads numbers into doubles (so
 * `1.0.post99999999999999999` equals `…98`), reads local segments such as `1e5`, `0x1a` or
 * `Infinity` as numbers, and refuses the white space packaging allows.
 *
 * Not followed: packaging's case-insensitive matching also folds a few non-ASCII letters onto
 * ASCII ones (`ſ`, `ı`, `İ`, the Kelvin sign), so it accepts `1.0.poſt1` (and orders it by
 * the unfolded letters) or `1.0+K`; such versions are refused here.
 */
export const pep440Scheme: VersionScheme = {
  name: 'pep440',
  isValid: (version) => PEP440.test(version),
  compare(a, b) {
    return compareVersions(parsed(a), parsed(b));
  },
};

interface Pep440Version {
  readonly epoch: bigint;
  /** The release numbers without trailing zeros: `1.0` equals `1`. */
  readonly release: readonly bigint[];
  readonly pre?: { readonly label: 'a' | 'b' | 'rc'; readonly number: bigint };
  readonly post?: bigint;
  readonly dev?: bigint;
  /** Numbers for numeric segments, lower-case text for the others. */
  readonly local?: readonly (bigint | string)[];
}

/** What Python's `\s` matches in a `str` pattern (`str.isspace`); not JavaScript's `\s`. */
const PYTHON_SPACE =
  '[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
/** Without the `u` flag, `i` folds no non-ASCII letter onto an ASCII one. */
const PEP440 = new RegExp(`^${PYTHON_SPACE}*${VERSION_PATTERN}${PYTHON_SPACE}*$`, 'i');
const PRE_LABELS: Readonly<Record<string, 'a' | 'b' | 'rc'>> = {
  a: 'a',
  alpha: 'a',
  b: 'b',
  beta: 'b',
  c: 'rc',
  rc: 'rc',
  pre: 'rc',
  preview: 'rc',
};

const parsed = memoized((version: string): Pep440Version => {
  const groups = PEP440.exec(version)?.groups;
  if (groups === undefined)
    throw new InvalidVersionError('pep440', version, 'not a PEP 440 version');
  const release = groups.release!.split('.').map(BigInt);
  while (release.at(-1) === 0n) release.pop();
  const { pre_l: preLabel, post_n1: impliedPost, post_l: postLabel, dev_l: devLabel } = groups;
  return {
    epoch: BigInt(groups.epoch ?? 0),
    release,
    ...(preLabel && {
      pre: { label: PRE_LABELS[preLabel.toLowerCase()]!, number: BigInt(groups.pre_n ?? 0) },
    }),
    ...((impliedPost ?? postLabel) !== undefined && {
      post: BigInt(impliedPost ?? groups.post_n2 ?? 0),
    }),
    ...(devLabel && { dev: BigInt(groups.dev_n ?? 0) }),
    ...(groups.local && { local: groups.local.split(/[-_.]/).map(localPart) }),
  };
});

function localPart(part: string): bigint | string {
  return /^[0-9]+$/.test(part) ? BigInt(part) : part.toLowerCase();
}

/** packaging's `_cmpkey`, field by field. */
function compareVersions(a: Pep440Version, b: Pep440Version): number {
  return (
    compareValues(a.epoch, b.epoch) ||
    compareSequences(a.release, b.release) ||
    comparePre(a, b) ||
    compareOptional(a.post, b.post, -1) ||
    compareOptional(a.dev, b.dev, 1) ||
    compareLocal(a.local, b.local)
  );
}

/**
 * A release without a pre-release sorts after its pre-releases, except a bare `.devN`, which
 * sorts before them (`1.0.dev0 < 1.0a0`).
 */
function comparePre(a: Pep440Version, b: Pep440Version): number {
  const rank = (v: Pep440Version) =>
    v.pre ? 0 : v.post === undefined && v.dev !== undefined ? -1 : 1;
  const difference = rank(a) - rank(b);
  if (difference !== 0 || !a.pre || !b.pre) return difference;
  return compareValues(a.pre.label, b.pre.label) || compareValues(a.pre.number, b.pre.number);
}

/** A missing number sorts `missing` (-1 before, 1 after) any present one. */
function compareOptional(a: bigint | undefined, b: bigint | undefined, missing: number): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? missing : -missing;
  return compareValues(a, b);
}

/** No local part first; then segment by segment, text before numbers; then the shorter. */
function compareLocal(
  a: readonly (bigint | string)[] | undefined,
  b: readonly (bigint | string)[] | undefined,
): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  return compareSequences(a, b);
}

function compareSequences<T extends bigint | string>(a: readonly T[], b: readonly T[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const [x, y] = [a[i]!, b[i]!];
    const result = typeof x === typeof y ? compareValues(x, y) : typeof x === 'string' ? -1 : 1;
    if (result !== 0) return result;
  }
  return Math.sign(a.length - b.length);
}

function compareValues<T extends bigint | string>(a: T, b: T): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
