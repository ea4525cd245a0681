import { PackageURL } from 'packageurl-js';
import type { OperatingSystem, Package } from '../inventory';
import type { OsvRange } from '../osv';
import type { MatchProblem } from './finding';
import { ecosystemKeyString, languageEcosystem, osEcosystem, type EcosystemKey } from '../osv';

/**
 * Which advisories apply to which package (README, "Vulnerability matching"):
 * - Debian and Ubuntu advisories name **source** packages, at the source version;
 * - Alpine advisories name **origin** packages (`o:` in the apk database);
 * - rpm distributions: see {@link RPM_NAMES}; the version is `epoch:version-release`;
 * - language packages match their ecosystem by normalised name, except those an OS package
 *   owns (a Python library installed by apt): by default only the distro's advisories, which
 *   know its backported fixes, judge it. `comprehensive` detection adds upstream advisories.
 */
export type Detection = 'precise' | 'comprehensive';

/** One package as the matcher looks it up. */
export interface MatchTarget {
  readonly package: Package;
  /** The ecosystem key its advisories are stored under (`Debian:12`, `PyPI`). */
  readonly ecosystem: string;
  /** The names its advisories may use. */
  readonly names: readonly string[];
  /** The version to place against advisory ranges. */
  readonly version: string;
  /**
   * Whether the package is a modular build (`.module+el9…` release); set for the Enterprise
   * Linux family only, whose advisories for a module stream and for the plain package share a
   * name. See {@link entryApplies}.
   */
  readonly modular?: boolean;
}

/** The targets of an inventory, and the packages that cannot be targeted, with why. */
export function matchTargets(
  packages: readonly Package[],
  os: OperatingSystem | null,
  detection: Detection,
): { targets: MatchTarget[]; unmatched: MatchProblem[] } {
  const targets: MatchTarget[] = [];
  const osKey = os === null ? undefined : osEcosystem(os);
  let unchecked = 0;
  for (const p of packages) {
    const target = OS_TYPES.has(p.type) ? osTarget(p, osKey) : languageTarget(p, detection);
    if (target === null) unchecked++;
    else if (target !== undefined) targets.push(target);
  }
  const osName = os === null ? 'unknown OS' : `${os.id} ${os.versionId ?? ''}`.trim();
  const reason = `${unchecked} OS packages not checked: the image OS (${osName}) has no advisory source this version knows`;
  return {
    targets,
    unmatched:
      unchecked > 0
        ? [{ kind: 'no-advisory-source', ecosystem: osName, packages: unchecked, reason }]
        : [],
  };
}

/**
 * Whether an advisory entry speaks for a target. An Enterprise Linux module stream's fix
 * (`fixed: 1:18.19.0-1.module+el9.3.0+…`) says nothing of the plain rpm of the same name that
 * another stream or the default AppStream ships, and the reverse: Red Hat's OSV records drop the
 * module (`rpmmod`) from the purl, so the `.module+el` mark in the versions is what tells them
 * apart. An entry with no version beyond `introduced: 0` applies to both.
 */
export function entryApplies(
  target: Pick<MatchTarget, 'modular'>,
  entry: { readonly ranges: readonly OsvRange[]; readonly versions: readonly string[] },
): boolean {
  if (target.modular === undefined) return true;
  const versions = [
    ...entry.versions,
    ...entry.ranges.flatMap((range) => range.events.map((event) => event.version)),
  ].filter((version) => version !== '0');
  if (versions.length === 0) return true;
  return versions.some((version) => MODULAR_RELEASE.test(version)) === target.modular;
}

const OS_TYPES: ReadonlySet<string> = new Set(['deb', 'apk', 'rpm']);

/**
 * The names an rpm distribution's advisories use, by OSV ecosystem:
 * - Red Hat, Rocky, Alma: the binary **and** the source rpm (Red Hat's records list both, one
 *   entry each; Rocky's and Alma's use either);
 * - Amazon Linux (ALAS): binary rpms only; a source rpm name would meet binaries of that name
 *   from other sources;
 * - SUSE, openSUSE, Azure Linux: the source rpm (SUSE's records name it and list its binaries in
 *   `ecosystem_specific.binaries`; Azure Linux's are made from its OVAL, which names sources).
 */
const RPM_NAMES: Readonly<Record<string, 'binary' | 'source' | 'both'>> = {
  'Red Hat': 'both',
  'Rocky Linux': 'both',
  AlmaLinux: 'both',
  'Amazon Linux': 'binary',
  SUSE: 'source',
  openSUSE: 'source',
  'Azure Linux': 'source',
};

/** Distributions that build modular rpms (RHEL 8 and 9 AppStream and its rebuilds). */
const MODULAR_FAMILY: ReadonlySet<string> = new Set(['Red Hat', 'Rocky Linux', 'AlmaLinux']);
/** The release of a module build: `.module+el8.9.0+…` (Red Hat, Rocky), `.module_el8.9.0+…` (Alma). */
const MODULAR_RELEASE = /\.module[+_]el\d/;
/** Azure Linux's dist tag (`1.3.1-1.azl3`, `5.10.78.1-1.cm2`), absent from its advisories. */
const AZURE_DIST_TAG = /\.(?:azl|cm)\d+(?=\.|$)/;

/** The target of an OS package; null when the OS has no advisory source. */
function osTarget(p: Package, key: EcosystemKey | undefined): MatchTarget | null {
  if (key === undefined) return null;
  const ecosystem = ecosystemKeyString(key);
  if (p.type === 'deb')
    return {
      package: p,
      ecosystem,
      names: [p.source?.name ?? p.name],
      version: p.source?.version ?? p.version,
    };
  if (p.type === 'apk')
    return { package: p, ecosystem, names: [p.source?.name ?? p.name], version: p.version };
  return rpmTarget(p, key.ecosystem, ecosystem);
}

function rpmTarget(p: Package, family: string, ecosystem: string): MatchTarget {
  const lookup = RPM_NAMES[family] ?? 'both';
  const source = p.source?.name;
  const names =
    lookup === 'binary' || source === undefined
      ? [p.name]
      : lookup === 'source'
        ? [source]
        : [...new Set([p.name, source])];
  const epoch = epochOf(p.purl);
  const release = family === 'Azure Linux' ? p.version.replace(AZURE_DIST_TAG, '') : p.version;
  return {
    package: p,
    ecosystem,
    names,
    version: epoch ? `${epoch}:${release}` : release,
    ...(MODULAR_FAMILY.has(family) && { modular: MODULAR_RELEASE.test(p.version) }),
  };
}

function languageTarget(p: Package, detection: Detection): MatchTarget | undefined {
  const key = languageEcosystem(p.type);
  if (key === undefined) return undefined;
  if (p.ownedBy !== null && detection === 'precise') return undefined;
  return { package: p, ecosystem: ecosystemKeyString(key), names: [p.name], version: p.version };
}

function epochOf(purl: string): string | undefined {
  const epoch = PackageURL.fromString(purl).qualifiers?.epoch;
  return epoch === undefined || epoch === '0' ? undefined : epoch;
}
