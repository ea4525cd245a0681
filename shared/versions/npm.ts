import { parse, type SemVer } from 'semver';
import { InvalidVersionError } from './errors';
import { memoized, type VersionScheme } from './scheme';

/**
 * npm package versions, ordered by the `semver` package npm itself uses: SemVer 2.0
 * (https://semver.org/#spec-item-11), prereleases before their release, identifiers compared
 * numerically or in ASCII order, build metadata ignored. Valid is what `semver.parse` accepts
 * without its `loose` option: plain SemVer, plus the leading `v` and surrounding white space the
 * package tolerates even then (npm strips both on publish, so OSV's npm data never has them).
 * Loose forms (`=1.2.3`, `1.2.3beta`, `01.2.3`), shorthands (`1.2`) and numbers past
 * `Number.MAX_SAFE_INTEGER` are refused, as npm refuses them.
 */
export const npmScheme: VersionScheme = {
  name: 'npm',
  isValid: (version) => semverOf(version) !== null,
  compare(a, b) {
    return parsed(a).compare(parsed(b));
  },
};

const semverOf = memoized((version: string): SemVer | null => parse(version));

function parsed(version: string): SemVer {
  const semver = semverOf(version);
  if (semver === null)
    throw new InvalidVersionError(
      'npm',
      version,
      'expected MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]',
    );
  return semver;
}
