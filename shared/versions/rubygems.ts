import { InvalidVersionError } from './errors';
import type { VersionScheme } from './scheme';

/**
 * Ruby gem versions, ordered as RubyGems' `Gem::Version#<=>` orders them
 * (https://github.com/ruby/rubygems/blob/master/lib/rubygems/version.rb, RubyGems 3.3): digits
 * and ASCII letters in dot-separated segments (`7.0.4`, `2.0.0.rc1`, `3.2.0.beta.2`, `1.0.a`),
 * a `-` read as `.pre.`, white space around, and the empty string read as `0`. Segments are runs
 * of digits (numbers) or of letters (text); trailing zeros do not count (`1.0` equals `1`), and
 * a text segment sorts before any number, so `1.0.a` comes before `1.0`.
 *
 * Written here rather than taken from `@renovatebot/ruby-semver`, which differs from Gem::Version
 * where the differential tests looked: it reads numbers into doubles (so
 * `1.99999999999999999` equals `1.99999999999999998`), orders text with `localeCompare` (so
 * `1.a` and `1.A` swap places against Ruby's byte order), and accepts white space JavaScript
 * knows and Ruby's `\s` does not (`\u00a0`).
 */
export const rubygemsScheme: VersionScheme = {
  name: 'rubygems',
  isValid: (version) => GEM_VERSION.test(version),
  compare(a, b) {
    const [x, y] = [canonicalSegments(a), canonicalSegments(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      const result = compareSegments(x[i] ?? 0n, y[i] ?? 0n);
      if (result !== 0) return result;
    }
    return 0;
  },
};

type Segment = bigint | string;

/** Ruby's `\s`: ASCII white space only. */
const RUBY_SPACE = '[ \\t\\n\\v\\f\\r]';
/** `Gem::Version::ANCHORED_VERSION_PATTERN`; the version itself is optional. */
const GEM_VERSION = new RegExp(
  `^${RUBY_SPACE}*(?:[0-9]+(?:\\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?)?` +
    `${RUBY_SPACE}*$`,
);
const RUBY_STRIP = new RegExp(`^${RUBY_SPACE}+|${RUBY_SPACE}+$`, 'g');

/**
 * `Gem::Version#canonical_segments`: the numbers before the first text segment and the segments
 * from there on, each without its trailing zeros.
 */
function canonicalSegments(version: string): Segment[] {
  if (!GEM_VERSION.test(version))
    throw new InvalidVersionError('rubygems', version, 'not a RubyGems version');
  const text = version.replace(RUBY_STRIP, '').replaceAll('-', '.pre.') || '0';
  const segments: Segment[] = (text.match(/[0-9]+|[a-z]+/gi) ?? []).map((s) =>
    /^[0-9]/.test(s) ? BigInt(s) : s,
  );
  const firstText = segments.findIndex((s) => typeof s === 'string');
  const split = firstText < 0 ? segments.length : firstText;
  return [
    ...withoutTrailingZeros(segments.slice(0, split)),
    ...withoutTrailingZeros(segments.slice(split)),
  ];
}

function withoutTrailingZeros(segments: Segment[]): Segment[] {
  let end = segments.length;
  while (end > 0 && segments[end - 1] === 0n) end--;
  return segments.slice(0, end);
}

/** Text before numbers; numbers by value, text by bytes (ASCII letters only, so code units). */
function compareSegments(a: Segment, b: Segment): number {
  if (a === b) return 0;
  if (typeof a !== typeof b) return typeof a === 'string' ? -1 : 1;
  return a < b ? -1 : 1;
}
