import type { PackageType } from '../analyzers/analyzer';

/**
 * OSV ecosystem strings (https://ossf.github.io/osv-schema/#affectedpackage-field) as keys the
 * store and the matcher agree on. A distro ecosystem carries a release (`Debian:12`,
 * `Alpine:v3.20`, `Ubuntu:22.04:LTS`); it is reduced to the release an image's os-release names,
 * so that `debian 12.7` finds `Debian:12` and `alpine 3.20.3` finds `Alpine:v3.20`.
 */

/** An ecosystem and, for distributions, the release advisories are written for. */
export interface EcosystemKey {
  /** The OSV ecosystem name without its suffix: `Debian`, `PyPI`, `Rocky Linux`. */
  readonly ecosystem: string;
  /** The release, as this module normalises it: `12`, `3.20`, `22.04`, `9`. */
  readonly release?: string;
}

/** The language ecosystems, by the package type the inventory gives. */
const LANGUAGE_ECOSYSTEMS: Readonly<Partial<Record<PackageType, string>>> = {
  npm: 'npm',
  pypi: 'PyPI',
  golang: 'Go',
  maven: 'Maven',
  cargo: 'crates.io',
  gem: 'RubyGems',
  nuget: 'NuGet',
  composer: 'Packagist',
};

/** os-release `ID` → the OSV ecosystem of its advisories, and how many release parts count. */
const DISTRO_ECOSYSTEMS: Readonly<Record<string, { ecosystem: string; parts?: number }>> = {
  debian: { ecosystem: 'Debian', parts: 1 },
  ubuntu: { ecosystem: 'Ubuntu', parts: 2 },
  alpine: { ecosystem: 'Alpine', parts: 2 },
  rocky: { ecosystem: 'Rocky Linux', parts: 1 },
  almalinux: { ecosystem: 'AlmaLinux', parts: 1 },
  rhel: { ecosystem: 'Red Hat', parts: 1 },
  wolfi: { ecosystem: 'Wolfi' },
  chainguard: { ecosystem: 'Chainguard' },
};

/**
 * Reads an OSV ecosystem string. Distribution suffixes are reduced to a release: `Debian:12`
 * → 12; `Alpine:v3.20` → 3.20; `Ubuntu:22.04:LTS` and `Ubuntu:Pro:18.04:LTS` → 22.04, 18.04;
 * `Rocky Linux:9`, `AlmaLinux:9`; `Red Hat:enterprise_linux:9::appstream` → 9 (the first
 * all-digit major in the suffix). Other ecosystems keep no release.
 */
export function parseEcosystem(value: string): EcosystemKey {
  const colon = value.indexOf(':');
  const ecosystem = colon < 0 ? value : value.slice(0, colon);
  const suffix = colon < 0 ? '' : value.slice(colon + 1);
  const distro = Object.values(DISTRO_ECOSYSTEMS).find((d) => d.ecosystem === ecosystem);
  if (distro?.parts === undefined || suffix === '') return { ecosystem };
  const release = releaseOf(suffix, distro.parts);
  return release === undefined ? { ecosystem } : { ecosystem, release };
}

/** The ecosystem key an image's OS packages are matched under, when OSV has advisories for it. */
export function osEcosystem(os: {
  id: string;
  versionId: string | null;
}): EcosystemKey | undefined {
  const distro = DISTRO_ECOSYSTEMS[os.id];
  if (distro === undefined) return undefined;
  if (distro.parts === undefined) return { ecosystem: distro.ecosystem };
  const release = os.versionId === null ? undefined : releaseOf(os.versionId, distro.parts);
  return release === undefined ? undefined : { ecosystem: distro.ecosystem, release };
}

/** The ecosystem of a language package type; undefined for OS package types. */
export function languageEcosystem(type: PackageType): EcosystemKey | undefined {
  const ecosystem = LANGUAGE_ECOSYSTEMS[type];
  return ecosystem === undefined ? undefined : { ecosystem };
}

/** `Debian:12`, `PyPI`: the key as one string, for stores and reports. */
export function ecosystemKeyString(key: EcosystemKey): string {
  return key.release === undefined ? key.ecosystem : `${key.ecosystem}:${key.release}`;
}

function releaseOf(suffix: string, parts: number): string | undefined {
  const version = suffix
    .split(':')
    .map((part) => part.replace(/^v/, ''))
    .find((part) => /^\d+(?:\.\d+)*$/.test(part));
  return version?.split('.').slice(0, parts).join('.');
}
