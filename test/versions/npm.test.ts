import { npmScheme } from '../../shared/versions/npm';
import { generateSemver, semverCliSort } from '../support/version-oracles-lang';
import { SeededRandom } from '../support/version-oracles-os';
import {
  itFailsToCompare,
  itOrdersAscending,
  itRefuses,
  itTreatsAsEqual,
} from '../support/version-scheme';

/** The form the semver CLI prints: no white space, no `v`, no build metadata. */
const cleaned = (version: string) => version.trim().replace(/^v/, '').replace(/\+.*$/, '');

describe('npmScheme', () => {
  describe('when versions differ', () => {
    // SemVer 2.0 §11's example, then cores compared numerically.
    itOrdersAscending(npmScheme, [
      ...['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2'],
      ...['1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.2.0', '1.10.0', '2.0.0-0', '2.0.0'],
      ...['10.0.0', '9007199254740991.0.0'],
    ]);
  });

  describe('when versions differ only in build metadata or spelling', () => {
    itTreatsAsEqual(npmScheme, [
      ['1.0.0+build.1', '1.0.0+build.2'],
      ['1.0.0-rc.1+001', '1.0.0-rc.1'],
      ['v1.2.3', '1.2.3'],
      [' 1.2.3\t', '1.2.3'],
      // npm reads numeric prerelease identifiers past 2^53 as doubles.
      ['1.0.0-99999999999999999999', '1.0.0-99999999999999999998'],
    ]);
  });

  describe('when a version is not strict SemVer', () => {
    itRefuses(npmScheme, [
      ...['', '1', '1.2', '1.2.3.4', '=1.2.3', 'v 1.2.3', '01.2.3', '1.02.3', '1.2.03'],
      ...['1.2.3-01', '1.2.3-', '1.2.3-a..b', '1.2.3+', '1.2.3beta', '1.2.3-ä', 'latest'],
      ...['9007199254740992.0.0', `1.2.${'9'.repeat(300)}`],
    ]);
    itFailsToCompare(
      npmScheme,
      ['1.2', '1.2.0'],
      ['1.2.0', '=1.2.0', '"=1.2.0" is not a valid npm version'],
    );
  });

  describe('when compared with the semver CLI', () => {
    const random = new SeededRandom(0x5e_4e7);
    const versions = Array.from({ length: 4000 }, () => generateSemver(random));
    let sorted: string[];

    beforeAll(() => {
      sorted = semverCliSort(versions);
    });

    it('accepts exactly the versions the CLI prints', () => {
      const valid = versions.filter((version) => npmScheme.isValid(version));
      expect(valid.length).toBeGreaterThan(2000);
      expect(valid.map(cleaned).sort()).toEqual([...sorted].sort());
    });

    it('sorts the valid versions into the order the CLI prints', () => {
      const valid = versions.filter((version) => npmScheme.isValid(version));
      expect(valid.sort(npmScheme.compare).map(cleaned)).toEqual(sorted);
    });
  });
});
