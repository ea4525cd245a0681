import { compareSemverPrecedence, type SemverPrecedence } from './cargo';
import { InvalidVersionError } from './errors';
import { memoized, type VersionScheme } from './scheme';

/**
 * Go module versions, as golang.org/x/mod/semver parses and orders them (`IsValid`, `Compare`):
 * SemVer 2.0 with a `v` and the shorthands `v1` and `v1.2` for `v1.0.0` and `v1.2.0`
 * (https://go.dev/ref/mod#versions). The `v` is optional here, because OSV's Go data writes
 * versions without it (`1.2.3`) and the standard library's as `1.21.0` or `1.22.0-rc.1`;
 * `v1.2.3` and `1.2.3` are the same version. Pseudo-versions
 * (`v0.0.0-20191109021931-daa7c04131f5`, `v1.2.4-0.20191109021931-daa7c04131f5`,
 * `v1.2.3-pre.0.20191109021931-daa7c04131f5`) are prereleases and need no rule of their own:
 * SemVer precedence already places them after the version they build on and before any other
 * prerelease of the next. `+incompatible` is build metadata, so it does not affect the order.
 * Numbers may be of any size, as in x/mod/semver.
 */
export const goScheme: VersionScheme = {
  name: 'go',
  isValid: (version) => parse(version) !== undefined,
  compare(a, b) {
    return compareSemverPrecedence(parsed(a), parsed(b));
  },
};

const NUMBER = '(0|[1-9][0-9]*)';
const IDENTIFIERS = '[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*';
/** A prerelease or build suffix only after all three numbers, as in x/mod/semver. */
const GO_SEMVER = new RegExp(
  `^v?${NUMBER}(?:\\.${NUMBER}(?:\\.${NUMBER}(?:-(${IDENTIFIERS}))?(?:\\+${IDENTIFIERS})?)?)?$`,
);
const LEADING_ZERO = /^0[0-9]+$/;

const parsed = memoized((version: string): SemverPrecedence => {
  const result = parse(version);
  if (result === undefined)
    throw new InvalidVersionError(
      'go',
      version,
      'expected [v]MAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]] without leading zeros',
    );
  return result;
});

function parse(version: string): SemverPrecedence | undefined {
  const match = GO_SEMVER.exec(version);
  if (match === null) return undefined;
  const prerelease = match[4]?.split('.') ?? [];
  if (prerelease.some((identifier) => LEADING_ZERO.test(identifier))) return undefined;
  return { core: [match[1]!, match[2] ?? '0', match[3] ?? '0'], prerelease };
}
