import { PackageURL } from 'packageurl-js';
import type { OperatingSystem, Package } from '../inventory/package';
import type { MatchProblem } from './finding';
import { ecosystemKeyString, languageEcosystem, osEcosystem } from '../osv/ecosystem';

/**
 * Which advisories apply to which package (README, "Vulnerability matching"):
 * - Debian and Ubuntu advisories name **source** packages, at the source version;
 * - Alpine advisories name **origin** packages (`o:` in the apk database);
 * - rpm distributions (Rocky, Alma, Red Hat) are looked up by binary name and by source rpm
 *   name, since their OSV data uses either; the version is `epoch:version-release`;
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

const OS_TYPES: ReadonlySet<string> = new Set(['deb', 'apk', 'rpm']);

/** The target of an OS package; null when the OS has no advisory source. */
function osTarget(p: Package, key: ReturnType<typeof osEcosystem>): MatchTarget | null {
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
  const epoch = epochOf(p.purl);
  const names = [...new Set([p.name, ...(p.source ? [p.source.name] : [])])];
  return { package: p, ecosystem, names, version: epoch ? `${epoch}:${p.version}` : p.version };
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
