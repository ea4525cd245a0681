import type { Inventory } from '../inventory';
import { evaluateAffected } from '../osv';
import { compareSeverity, UNKNOWN_SEVERITY } from '../osv';
import { prioritize } from '../priority';
import { InvalidVersionError } from '../versions';
import { rangeSchemesFor } from '../versions';
import type { AdvisoryEntry, PackageAdvisory } from '../vulndb';
import { queryKey, type VulnerabilityStore } from '../vulndb';
import type { Finding, MatchProblem } from './finding';
import { withAliasSeverities } from './alias-severity';
import type { GoBinary } from './go-applicability';
import { judged, toolchainTargets, type GoContext } from './go-findings';
import { entryApplies, matchTargets, type Detection, type MatchTarget } from './targets';

export interface MatchOptions {
  /** @default 'precise' - OS-owned language packages are judged by their distro alone */
  readonly detection?: Detection;
  /**
   * The image's Go binaries: a Go finding in one is judged by its platform and functions.
   * @default - none: Go findings carry no applicability
   */
  readonly goBinaries?: readonly GoBinary[];
  /**
   * The image's platform (`linux/amd64`), for a Go binary whose own is not known.
   * @default - unknown: platform limits never rule a finding out
   */
  readonly platform?: string;
}

export interface MatchResult {
  readonly findings: readonly Finding[];
  readonly problems: readonly MatchProblem[];
  /** Packages looked up per ecosystem key: what the data must hold advisories for. */
  readonly ecosystems: Readonly<Record<string, number>>;
}

/**
 * The advisories that affect an inventory's packages. Looks up only the image's packages,
 * evaluates each advisory entry with its ecosystem's own version scheme, keeps one finding per
 * package and vulnerability (a DSA and the tracker's CVE record for the same CVE are one), and
 * reports what could not be decided as problems, never as "not affected". Findings carry the
 * store's KEV entry and EPSS score of their CVEs, when it holds such data.
 */
export async function matchInventory(
  inventory: Inventory,
  store: VulnerabilityStore,
  options: MatchOptions = {},
): Promise<MatchResult> {
  const { targets, unmatched } = matchTargets(
    inventory.packages,
    inventory.os,
    options.detection ?? 'precise',
  );
  const binaries = new Map((options.goBinaries ?? []).map((b) => [b.path, b]));
  const all = [...targets, ...toolchainTargets(targets, binaries)];
  const queries = all.flatMap((t) => t.names.map((name) => ({ ecosystem: t.ecosystem, name })));
  const found = await store.advisoriesFor(queries);
  const problems: MatchProblem[] = [...unmatched];
  const findings: Finding[] = [];
  const context = { binaries, platform: options.platform };
  for (const target of all) {
    const advisories = mergedById(
      target.names.flatMap(
        (name) => found.get(queryKey({ ecosystem: target.ecosystem, name })) ?? [],
      ),
    );
    findings.push(...onePerVulnerability(findingsFor(target, advisories, problems, context)));
  }
  return {
    findings: (await prioritize(await withAliasSeverities(findings, store), store)).sort(
      compareFindings,
    ),
    problems,
    ecosystems: countByEcosystem(targets),
  };
}

function countByEcosystem(targets: readonly MatchTarget[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const target of targets) counts[target.ecosystem] = (counts[target.ecosystem] ?? 0) + 1;
  return counts;
}

function findingsFor(
  target: MatchTarget,
  advisories: readonly PackageAdvisory[],
  problems: MatchProblem[],
  context: GoContext,
): Finding[] {
  const schemes = rangeSchemesFor(target.ecosystem.split(':')[0]!);
  if (schemes === undefined) {
    if (advisories.length > 0)
      problems.push(
        unparsed(
          target,
          `${advisories.length} advisories not evaluated: no version scheme for ${target.ecosystem}`,
        ),
      );
    return [];
  }
  const findings: Finding[] = [];
  for (const advisory of advisories) {
    for (const entry of advisory.entries) {
      if (!entryApplies(target, entry)) continue;
      try {
        const result = evaluateAffected(entry, target.version, schemes);
        for (const reason of result.problems)
          problems.push(unparsed(target, `${advisory.id}: ${reason}`));
        if (result.affected)
          findings.push(
            judged(findingOf(target, advisory, entry, result.fixedVersion), entry, context),
          );
      } catch (error) {
        if (!(error instanceof InvalidVersionError)) throw error;
        problems.push(unparsed(target, error.message));
        return findings;
      }
    }
  }
  return findings;
}

function unparsed(target: MatchTarget, reason: string): MatchProblem {
  return {
    kind: 'version-unparsed',
    ecosystem: target.ecosystem,
    purl: target.package.purl,
    packages: 1,
    reason,
  };
}

function findingOf(
  target: MatchTarget,
  advisory: PackageAdvisory,
  entry: AdvisoryEntry,
  fixedVersion: string | undefined,
): Finding {
  const severity = entry.severity ?? UNKNOWN_SEVERITY;
  const p = target.package;
  return {
    id: advisory.id,
    aliases: advisory.aliases,
    purl: p.purl,
    package: p.name,
    installedVersion: p.version,
    fixedVersion: fixedVersion ?? null,
    status: fixedVersion !== undefined ? 'fixed' : (entry.status ?? 'not-fixed'),
    severity: severity.severity,
    cvss: severity.cvss ?? null,
    severitySource: severity.vendor,
    source: `OSV:${entry.ecosystem}`,
    summary: advisory.summary ?? null,
    layer: p.layer,
    path: p.path,
    suppressedBy: null,
  };
}

/** One finding per vulnerability of a package: the one with a fix, else the first by id. */
function onePerVulnerability(findings: readonly Finding[]): Finding[] {
  const byVulnerability = new Map<string, Finding>();
  for (const finding of [...findings].sort((a, b) => a.id.localeCompare(b.id))) {
    const key = [finding.id, ...finding.aliases].find((id) => id.startsWith('CVE-')) ?? finding.id;
    const kept = byVulnerability.get(key);
    if (kept === undefined) byVulnerability.set(key, finding);
    else byVulnerability.set(key, merged(kept, finding));
  }
  return [...byVulnerability.values()];
}

function merged(kept: Finding, other: Finding): Finding {
  const applies = (f: Finding) => f.applicability?.status !== 'not-applicable';
  const winner =
    applies(kept) !== applies(other)
      ? applies(kept)
        ? kept
        : other
      : kept.fixedVersion === null && other.fixedVersion !== null
        ? other
        : kept;
  const loser = winner === kept ? other : kept;
  const aliases = [...new Set([...winner.aliases, loser.id, ...loser.aliases])].filter(
    (a) => a !== winner.id,
  );
  const severity = winner.severity === 'UNKNOWN' && loser.severity !== 'UNKNOWN' ? loser : winner;
  return {
    ...winner,
    aliases,
    severity: severity.severity,
    cvss: severity.cvss,
    severitySource: severity.severitySource,
  };
}

/**
 * One advisory per id: an rpm looked up by binary and by source name can find the same record
 * twice, each time with the entries naming that name.
 */
function mergedById(advisories: readonly PackageAdvisory[]): PackageAdvisory[] {
  const byId = new Map<string, PackageAdvisory>();
  for (const advisory of advisories) {
    const kept = byId.get(advisory.id);
    byId.set(
      advisory.id,
      kept === undefined ? advisory : { ...kept, entries: [...kept.entries, ...advisory.entries] },
    );
  }
  return [...byId.values()];
}

/** Most severe first, then by package, version, path and id: stable output for the same data. */
function compareFindings(a: Finding, b: Finding): number {
  return (
    compareSeverity(a.severity, b.severity) ||
    a.package.localeCompare(b.package) ||
    a.installedVersion.localeCompare(b.installedVersion) ||
    a.path.localeCompare(b.path) ||
    a.id.localeCompare(b.id)
  );
}
