import { goScheme } from '../../shared/versions/go';
import { npmScheme } from '../../shared/versions/npm';
import { generateSemver } from '../support/version-oracles-lang';
import { SeededRandom } from '../support/version-oracles-os';
import {
  itAcceptsAsReference,
  itFailsToCompare,
  itOrdersAscending,
  itOrdersPairs,
  itRefuses,
} from '../support/version-scheme';

const order = (a: string, b: string) => Math.sign(goScheme.compare(a, b));

/**
 * golang.org/x/mod/semver's own table (semver_test.go): each version, and its canonical form or
 * "" when it is invalid. In that order, every version sorts after the ones above it, except
 * that versions with the same canonical form are equal.
 */
const X_MOD_TABLE: readonly (readonly [string, string])[] = [
  ['bad', ''],
  ['v1-alpha.beta.gamma', ''],
  ['v1-pre', ''],
  ['v1+meta', ''],
  ['v1-pre+meta', ''],
  ['v1.2-pre', ''],
  ['v1.2+meta', ''],
  ['v1.2-pre+meta', ''],
  ['v1.0.0-alpha', 'v1.0.0-alpha'],
  ['v1.0.0-alpha.1', 'v1.0.0-alpha.1'],
  ['v1.0.0-alpha.beta', 'v1.0.0-alpha.beta'],
  ['v1.0.0-beta', 'v1.0.0-beta'],
  ['v1.0.0-beta.2', 'v1.0.0-beta.2'],
  ['v1.0.0-beta.11', 'v1.0.0-beta.11'],
  ['v1.0.0-rc.1', 'v1.0.0-rc.1'],
  ['v1', 'v1.0.0'],
  ['v1.0', 'v1.0.0'],
  ['v1.0.0', 'v1.0.0'],
  ['v1.2', 'v1.2.0'],
  ['v1.2.0', 'v1.2.0'],
  ['v1.2.3-456', 'v1.2.3-456'],
  ['v1.2.3-456.789', 'v1.2.3-456.789'],
  ['v1.2.3-456-789', 'v1.2.3-456-789'],
  ['v1.2.3-456a', 'v1.2.3-456a'],
  ['v1.2.3-pre', 'v1.2.3-pre'],
  ['v1.2.3-pre+meta', 'v1.2.3-pre'],
  ['v1.2.3-pre.1', 'v1.2.3-pre.1'],
  ['v1.2.3-zzz', 'v1.2.3-zzz'],
  ['v1.2.3', 'v1.2.3'],
  ['v1.2.3+meta', 'v1.2.3'],
  ['v1.2.3+meta-pre', 'v1.2.3'],
  ['v1.2.3+meta-pre.sha.256a', 'v1.2.3'],
];
const VALID = X_MOD_TABLE.flatMap(([version, canonical], i) =>
  canonical ? [{ version, canonical, i }] : [],
);

/** `v1` and `v1.2`, which Go accepts and SemVer does not. */
const SHORTHAND = /^v?[0-9]+(\.[0-9]+)?$/;

describe('goScheme', () => {
  describe('when versions are those of x/mod/semver’s table', () => {
    it.each(X_MOD_TABLE)('judges %j valid as x/mod does (canonical %j)', (version, canonical) => {
      expect(goScheme.isValid(version)).toBe(canonical !== '');
    });

    it('orders every pair as x/mod does', () => {
      const disagreements = VALID.flatMap((a) =>
        VALID.flatMap((b) => {
          const expected = a.canonical === b.canonical ? 0 : Math.sign(a.i - b.i);
          const actual = order(a.version, b.version);
          return actual === expected ? [] : [{ a: a.version, b: b.version, expected, actual }];
        }),
      );
      expect(disagreements).toEqual([]);
    });
  });

  describe('when numbers have different lengths', () => {
    itOrdersPairs(goScheme, [
      ['v1', 'v2'],
      ['v1.2', 'v1.19'],
      ['v1.9.0', 'v1.10.0'],
      ['v1.0.0-9', 'v1.0.0-10'],
      ['v99999999999999999999.0.0', 'v100000000000000000000.0.0'],
    ]);
  });

  describe('when OSV writes a version without its "v"', () => {
    it.each([
      ['1.2.3', 'v1.2.3'],
      ['1.2', 'v1.2.0'],
      ['0.0.0-20191109021931-daa7c04131f5', 'v0.0.0-20191109021931-daa7c04131f5'],
      ['2.0.0+incompatible', 'v2.0.0'],
    ])('treats %j as %j', (osv, module) => {
      expect(goScheme.isValid(osv)).toBe(true);
      expect(order(osv, module)).toBe(0);
    });
  });

  describe('when a version is a pseudo-version', () => {
    // https://go.dev/ref/mod#pseudo-versions: after the version they build on, before the next
    // version and its prereleases, and in time order among themselves.
    itOrdersAscending(goScheme, [
      'v0.0.0-20191109021931-daa7c04131f5',
      'v0.0.0-20200101000000-0123456789ab',
      'v0.0.1',
      'v1.2.3',
      'v1.2.4-0.20191109021931-daa7c04131f5',
      'v1.2.4-0.20200101000000-0123456789ab',
      'v1.2.4-alpha',
      'v1.2.4-pre',
      'v1.2.4-pre.0.20191109021931-daa7c04131f5',
      'v1.2.4-pre.1',
      'v1.2.4',
    ]);
  });

  describe('when a version carries +incompatible', () => {
    it('orders it as the version without it', () => {
      expect(order('v2.0.0+incompatible', 'v2.0.0')).toBe(0);
      expect(order('v2.0.0+incompatible', 'v2.0.1')).toBe(-1);
      expect(order('v2.0.1+incompatible', 'v2.0.0')).toBe(1);
    });
  });

  describe('when a version is the standard library’s, as OSV writes it', () => {
    itOrdersAscending(
      goScheme,
      '1.20 1.20.14 1.21.0-rc.1 1.21.0-rc.2 1.21.0 1.21.13 1.22.0-rc.1'.split(' '),
    );

    it('treats it as the stdlib module version the Go analyser reports', () => {
      expect(order('1.21.0-rc.1', 'v1.21.0-rc.1')).toBe(0);
    });
  });

  describe('when a version is not a Go module version', () => {
    itRefuses(goScheme, [
      ...['', 'v', 'vv1.2.3', 'V1.2.3', 'go1.21.0', 'v01.2.3', 'v1.02.3', 'v1.2.3-01', 'v1.2.3-'],
      ...['v1.2.3.4', ' v1.2.3', 'v1.2.3-a..b', 'v1.2.3+', 'v1.2.3-ä', 'v1.2.3_4'],
    ]);
    itFailsToCompare(
      goScheme,
      ['bad', 'v1.0.0'],
      ['v1.0.0', 'v1.2-pre', '"v1.2-pre" is not a valid go version'],
    );
  });

  describe('when compared with npm semver on full versions', () => {
    // With all three numbers, Go's grammar and order are SemVer 2.0's, as npm's are.
    const random = new SeededRandom(0x90_5e4);
    const versions = Array.from({ length: 4000 }, () => generateSemver(random)).filter(
      (version) => !/^[\s=]|\s$|[0-9]{16}/.test(version) && !SHORTHAND.test(version),
    );
    const valid = versions.filter((version) => npmScheme.isValid(version));

    itAcceptsAsReference(goScheme, 'accepts exactly what npm accepts', versions, () =>
      versions.map((version) => npmScheme.isValid(version)),
    );
    it('sorts the valid versions as npm does', () => {
      expect(valid.length).toBeGreaterThan(2000);
      expect([...valid].sort(goScheme.compare)).toEqual([...valid].sort(npmScheme.compare));
    });
  });
});
