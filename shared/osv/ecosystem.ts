import type { PackageType } from '../analyzers';
import { DISTRO_FAMILIES, type DistroFamily } from './distro-releases';

/**
 * OSV ecosystem strings (https://ossf.github.io/osv-schema/#affectedpackage-field) as keys the
 * store and the matcher agree on. A distro ecosystem carries a release (`Debian:12`,
 * `Alpine:v3.20`, `Ubuntu:22.04:LTS`, `SUSE:Linux Enterprise Module for Basesystem 15 SP5`); it is
 * reduced to the release an image's os-release names, so that `debian 12.7` finds `Debian:12`,
 * `alpine 3.20.3` finds `Alpine:v3.20` and `sles 15.5` finds every SLE 15 SP5 product
 * (distro-releases.ts says how, distribution by distribution).
 */

/** An ecosystem and, for distributions, the release advisories are written for. */
export interface EcosystemKey {
  /** The OSV ecosystem name without its suffix: `Debian`, `PyPI`, `Rocky Linux`. */
  readonly ecosystem: string;
  /** The release, as this module normalises it: `12`, `3.20`, `9`, `Linux Enterprise 15 SP5`. */
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

/**
 * Reads an OSV ecosystem string. Distribution suffixes are reduced to a release: `Debian:12`
 * → 12; `Alpine:v3.20` → 3.20; `Ubuntu:22.04:LTS` and `Ubuntu:Pro:18.04:LTS` → 22.04, 18.04;
 * `Red Hat:enterprise_linux:9::appstream` → 9 but `Red Hat:rhel_eus:9.2::appstream` →
 * `rhel_eus:9.2`; `SUSE:Linux Enterprise Server 15 SP5-LTSS` → `Linux Enterprise 15 SP5`;
 * `openSUSE:Leap 15.5`; `Azure Linux:3`; `Amazon Linux:2023`. Other ecosystems keep no release.
 */
export function parseEcosystem(value: string): EcosystemKey {
  const colon = value.indexOf(':');
  const ecosystem = colon < 0 ? value : value.slice(0, colon);
  const suffix = colon < 0 ? '' : value.slice(colon + 1);
  const family = DISTRO_FAMILIES.find((d) => d.ecosystem === ecosystem);
  if (family?.release === undefined || suffix === '') return { ecosystem };
  const release = family.release(suffix);
  return release === undefined ? { ecosystem } : { ecosystem, release };
}

/**
 * The ecosystem key an image's OS packages are matched under, when OSV (or an importer of the
 * distribution's own advisories) has advisories for it; undefined for a distribution none
 * covers (CentOS, Fedora, Oracle Linux, …) or a release the image does not name.
 */
export function osEcosystem(os: {
  id: string;
  versionId: string | null;
}): EcosystemKey | undefined {
  const family = familyOf(os.id);
  if (family === undefined) return undefined;
  const release = family.ids[os.id]!(os.versionId);
  if (release === null) return { ecosystem: family.ecosystem };
  return release === undefined ? undefined : { ecosystem: family.ecosystem, release };
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

/** The os-release IDs whose packages some ecosystem covers, in no particular order. */
export function coveredOsIds(): string[] {
  return DISTRO_FAMILIES.flatMap((family) => Object.keys(family.ids));
}

// Own properties only: `ID=constructor` comes from the image and must not reach Object.
function familyOf(id: string): DistroFamily | undefined {
  return DISTRO_FAMILIES.find((family) => Object.hasOwn(family.ids, id));
}
