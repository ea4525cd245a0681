import { cargoScheme } from '../../shared/versions/cargo';
import { npmScheme } from '../../shared/versions/npm';
import { generateSemver } from '../support/version-oracles-lang';
import { SeededRandom, type Order } from '../support/version-oracles-os';
import {
  itAccepts,
  itAcceptsAsReference,
  itFailsToCompare,
  itOrdersAscending,
  itOrdersAsReference,
  itRefuses,
  itTreatsAsEqual,
  neighbours,
} from '../support/version-scheme';

describe('cargoScheme', () => {
  describe('when versions differ', () => {
    // SemVer 2.0 §11's example, then numbers up to u64::MAX and long prerelease numbers.
    itOrdersAscending(cargoScheme, [
      ...['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2'],
      ...['1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.2.0', '1.10.0', '2.0.0-0', '2.0.0'],
      '10.0.0',
      '9007199254740993.0.0-99999999999999999998',
      '9007199254740993.0.0-99999999999999999999',
      ...['9007199254740993.0.0-0a', '9007199254740993.0.0', '18446744073709551615.0.0'],
    ]);
  });

  describe('when versions differ only in build metadata', () => {
    itTreatsAsEqual(cargoScheme, [
      ['1.0.0+build.1', '1.0.0+build.2'],
      ['1.0.0-rc.1+001', '1.0.0-rc.1'],
      ['0.3.0+zstd.1.5.5', '0.3.0'],
    ]);
  });

  describe('when a version is what the semver crate accepts', () => {
    itAccepts(cargoScheme, [
      '0.0.0',
      '1.0.0-0a',
      '1.0.0-00a',
      '1.0.0+01',
      '1.0.0-a-b.c--d+e.0-f',
      '18446744073709551615.0.0',
    ]);
  });

  describe('when a version is not what the semver crate accepts', () => {
    itRefuses(
      cargoScheme,
      [
        ['v1.0.0', 'a leading "v", which npm tolerates'],
        [' 1.0.0', "white space (Cargo trims a manifest's, the crate does not)"],
        ['01.0.0', 'a leading zero in a number'],
        ['1.0.0-01', 'a leading zero in a numeric prerelease identifier'],
        ['18446744073709551616.0.0', 'a number past u64::MAX'],
        ['1.0', 'a missing PATCH'],
        ['1.0.0-', 'an empty prerelease'],
        ['1.0.0-a..b', 'an empty identifier'],
        ['1.0.0-a_b', 'a character outside [0-9A-Za-z-]'],
        ['1.0.0+a+b', 'a second "+"'],
        ['', 'nothing'],
      ],
      'is not valid: %j (%s)',
    );
    itFailsToCompare(
      cargoScheme,
      ['v1.0.0', '1.0.0'],
      [
        '1.0.0',
        '1.0.0-01',
        '"1.0.0-01" is not a valid cargo version: invalid leading zero in pre-release identifier',
      ],
    );
  });

  describe('when compared with npm semver on versions both read alike', () => {
    // Where npm and the crate read a version the same way (no "v", no white space, numbers
    // within 2^53), they must agree on validity and order.
    const random = new SeededRandom(0xca_560);
    const versions = Array.from({ length: 4000 }, () => generateSemver(random)).filter(
      (version) => !/^[\sv]|\s$|[0-9]{16}/.test(version),
    );
    const valid = versions.filter((version) => npmScheme.isValid(version));
    const pairs = neighbours(valid);

    itAcceptsAsReference(cargoScheme, 'accepts exactly what npm accepts', versions, () =>
      versions.map((version) => npmScheme.isValid(version)),
    );
    // More than 2000 valid versions, hence at least 2000 neighbouring pairs.
    itOrdersAsReference(cargoScheme, 'orders every neighbouring pair as npm does', {
      pairs,
      orders: () => pairs.map(([a, b]) => Math.sign(npmScheme.compare(a, b)) as Order),
      atLeast: 2000,
    });
    it('sorts the valid versions as npm does', () => {
      expect(valid.length).toBeGreaterThan(2000);
      expect([...valid].sort(cargoScheme.compare)).toEqual([...valid].sort(npmScheme.compare));
    });
  });
});
