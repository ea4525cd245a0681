import type { RangeSchemes } from './scheme';
import { apkScheme } from './apk';
import { cargoScheme } from './cargo';
import { composerScheme } from './composer';
import { dpkgScheme } from './dpkg';
import { goScheme } from './go';
import { mavenScheme } from './maven';
import { npmScheme } from './npm';
import { nugetScheme } from './nuget';
import { pep440Scheme } from './pep440';
import { rpmScheme } from './rpm';
import { rubygemsScheme } from './rubygems';
import type { VersionScheme } from './scheme';

export * from './errors';
export type * from './scheme';

/**
 * Every version scheme, by the OSV ecosystem (without its release suffix) whose versions it
 * orders. SEMVER ranges use the ecosystem's own scheme where it is a SemVer dialect (Go with
 * its `v`, crates.io), npm's SemVer elsewhere.
 */
const BY_ECOSYSTEM: Readonly<Record<string, VersionScheme>> = {
  Debian: dpkgScheme,
  Ubuntu: dpkgScheme,
  Alpine: apkScheme,
  Wolfi: apkScheme,
  Chainguard: apkScheme,
  'Rocky Linux': rpmScheme,
  AlmaLinux: rpmScheme,
  'Red Hat': rpmScheme,
  'Amazon Linux': rpmScheme,
  SUSE: rpmScheme,
  openSUSE: rpmScheme,
  'Azure Linux': rpmScheme,
  npm: npmScheme,
  PyPI: pep440Scheme,
  Go: goScheme,
  Maven: mavenScheme,
  'crates.io': cargoScheme,
  RubyGems: rubygemsScheme,
  Packagist: composerScheme,
  NuGet: nugetScheme,
};

const SEMVER_DIALECTS: ReadonlySet<VersionScheme> = new Set([goScheme, cargoScheme, npmScheme]);

/** The schemes that order an ecosystem's ranges; undefined for an ecosystem not supported. */
export function rangeSchemesFor(ecosystem: string): RangeSchemes | undefined {
  const scheme = Object.hasOwn(BY_ECOSYSTEM, ecosystem) ? BY_ECOSYSTEM[ecosystem] : undefined;
  if (scheme === undefined) return undefined;
  return { ecosystem: scheme, semver: SEMVER_DIALECTS.has(scheme) ? scheme : npmScheme };
}
export { rpmScheme } from './rpm';
