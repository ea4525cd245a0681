import { InvalidVersionError } from './errors';
import { memoized, type VersionScheme } from './scheme';

/**
 * NuGet package versions, read as `NuGetVersion.TryParse` reads them and ordered as
 * `VersionComparer.Default` orders them (NuGet.Client, src/NuGet.Core/NuGet.Versioning):
 * one to four numbers (`1`, `1.0`, `1.0.0` and `1.0.0.0` are equal; the fourth is the legacy
 * "Revision"), each a non-negative 32-bit integer that may carry leading zeros and ASCII white
 * space (`1.01`, ` 19 . 19`); then SemVer 2.0 release labels after `-`, compared one by one,
 * numeric labels as numbers and before text, text case-insensitively (`1.0.0-BETA` equals
 * `1.0.0-beta`), a release after its pre-releases; then `+` build metadata, checked but ignored.
 * White space around the whole version is ignored; a leading `v` is not allowed.
 *
 * Followed to the letter: a numeric label is one `int.TryParse` accepts, so a label beyond a
 * 32-bit integer (`-2147483648` is one, `2147483648` is not) is text and compares as text;
 * `-1` is a valid label and a number.
 *
 * Not followed: .NET's integer parser also skips trailing NUL characters after a number, which
 * would accept `1.0\0`; no NuGet test pins that, and such a version is refused here.
 *
 * There is no NuGet (no .NET) on the test machines: this scheme is tested against the vectors
 * of NuGet.Client's own tests (NuGetVersionTest, VersionComparerTests, SemVer201SpecTests,
 * SemanticVersionTests, VersionParsingTests), not differentially.
 */
export const nugetScheme: VersionScheme = {
  name: 'nuget',
  isValid: (version) => typeof parse(version) !== 'string',
  compare(a, b) {
    const [x, y] = [parsed(a), parsed(b)];
    for (let i = 0; i < x.numbers.length; i++) {
      const difference = Math.sign(x.numbers[i]! - y.numbers[i]!);
      if (difference !== 0) return difference;
    }
    if (x.labels === undefined || y.labels === undefined)
      return x.labels === y.labels ? 0 : x.labels === undefined ? 1 : -1;
    return compareLabels(x.labels, y.labels);
  },
};

interface NuGetVersion {
  /** Major, minor, patch and revision; missing ones are zero. */
  readonly numbers: readonly number[];
  /** The release labels of a pre-release; undefined for a release. */
  readonly labels?: readonly string[];
}

/** What `String.Trim()` removes: `char.IsWhiteSpace`. */
const DOTNET_SPACE =
  '[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const DOTNET_TRIM = new RegExp(`^${DOTNET_SPACE}+|${DOTNET_SPACE}+$`, 'g');
/** One number of `System.Version.TryParse`: `int.TryParse` with NumberStyles.Integer. */
const VERSION_NUMBER = /^[\t-\r ]*([0-9]+)[\t-\r ]*$/;
const INT32_MAX = 2 ** 31 - 1;
const IDENTIFIER = /^[0-9A-Za-z-]+$/;
const NUMERIC_LABEL = /^-?[0-9]+$/;

function parsed(version: string): NuGetVersion {
  const result = parse(version);
  if (typeof result === 'string') throw new InvalidVersionError('nuget', version, result);
  return result;
}

/** The version, or why NuGet refuses it. */
const parse = memoized((version: string): NuGetVersion | string => {
  const { numbers, labels, metadata } = sections(version.replace(DOTNET_TRIM, ''));
  const values = versionNumbers(numbers);
  if (values === undefined) return 'expected one to four numbers, each at most 2147483647';
  if (labels !== undefined && !labels.every((label) => isIdentifier(label, false)))
    return 'a release label is empty, has a character other than [0-9A-Za-z-] or a leading zero';
  if (metadata !== undefined && !metadata.every((part) => isIdentifier(part, true)))
    return 'the build metadata is empty or has a character other than [0-9A-Za-z-]';
  return labels === undefined ? { numbers: values } : { numbers: values, labels };
});

/**
 * Splits at the first `-` or `+`, and a release label at the next `+`. As in NuGet, a separator
 * that ends the version stays in the part before it (which then fails).
 */
function sections(version: string): { numbers: string; labels?: string[]; metadata?: string[] } {
  const last = version.length - 1;
  const first = version.search(/[-+]/);
  if (first < 0 || first === last) return { numbers: version };
  const numbers = version.slice(0, first);
  if (version[first] === '+') return { numbers, metadata: version.slice(first + 1).split('.') };
  const plus = version.indexOf('+', first + 1);
  if (plus < 0 || plus === last) return { numbers, labels: version.slice(first + 1).split('.') };
  return {
    numbers,
    labels: version.slice(first + 1, plus).split('.'),
    metadata: version.slice(plus + 1).split('.'),
  };
}

/** `System.Version.TryParse` (after NuGet adds `.0` to a lone number), missing ones zero. */
function versionNumbers(text: string): number[] | undefined {
  if (text === '') return undefined;
  const parts = (text.includes('.') ? text : `${text}.0`).split('.');
  if (parts.length > 4) return undefined;
  const values = parts.map((part) => {
    const digits = VERSION_NUMBER.exec(part)?.[1];
    return digits === undefined ? NaN : Number(digits);
  });
  if (values.some((value) => !(value <= INT32_MAX))) return undefined;
  return [...values, 0, 0].slice(0, 4);
}

/** SemVer 2.0 identifiers; numeric release labels may not start with a zero. */
function isIdentifier(text: string, allowLeadingZeros: boolean): boolean {
  if (!IDENTIFIER.test(text)) return false;
  return allowLeadingZeros || !/^0[0-9]+$/.test(text);
}

function compareLabels(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const result = compareLabel(a[i]!, b[i]!);
    if (result !== 0) return result;
  }
  return Math.sign(a.length - b.length);
}

/** Numbers (as `int.TryParse` reads them) before text; text by `OrdinalIgnoreCase`. */
function compareLabel(a: string, b: string): number {
  const [x, y] = [asInt32(a), asInt32(b)];
  if (x !== undefined && y !== undefined) return x === y ? 0 : x < y ? -1 : 1;
  if (x !== undefined || y !== undefined) return x !== undefined ? -1 : 1;
  const [upperA, upperB] = [a.toUpperCase(), b.toUpperCase()];
  return upperA === upperB ? 0 : upperA < upperB ? -1 : 1;
}

function asInt32(label: string): number | undefined {
  if (!NUMERIC_LABEL.test(label)) return undefined;
  const value = Number(label);
  return value >= -(2 ** 31) && value <= INT32_MAX ? value : undefined;
}
