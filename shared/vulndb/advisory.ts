import { ecosystemKeyString, parseEcosystem } from '../osv';
import type { GoImport, OsvAffected, OsvRange, OsvRecord } from '../osv';
import { advisorySeverity, recordSeverity, type SeverityAssessment } from '../osv';
import { normalizePackageName } from './names';

/** One package to look up: the ecosystem key (`Debian:12`, `PyPI`) and its normalised name. */
export interface PackageQuery {
  readonly ecosystem: string;
  readonly name: string;
}

/**
 * An advisory as the matcher reads it for one package. The stores compute it once, when a
 * record is imported, so that a scan reads small rows and neither decodes whole records nor
 * scores CVSS vectors.
 */
export interface PackageAdvisory {
  readonly id: string;
  /** The record's aliases and upstream ids, without its own id, each once. */
  readonly aliases: readonly string[];
  readonly summary?: string;
  /** The record's affected entries that name this package, in the record's order. */
  readonly entries: readonly AdvisoryEntry[];
}

/** One affected entry of an advisory, as far as matching and the finding need it. */
export interface AdvisoryEntry {
  /** The ecosystem string as the advisory writes it (`Ubuntu:22.04:LTS`): the finding's source. */
  readonly ecosystem: string;
  readonly ranges: readonly OsvRange[];
  readonly versions: readonly string[];
  /** The distro's own word for an unfixed vulnerability (`postponed`, `will_not_fix`). */
  readonly status?: string;
  /** The severity the advisory gives this entry; absent when it gives none. */
  readonly severity?: SeverityAssessment;
  /**
   * Go entries: the packages that hold the vulnerability, with their platforms and functions
   * (`ecosystem_specific.imports`); absent means the whole module, on every platform.
   */
  readonly imports?: readonly GoImport[];
}

/** The severity one record gives a vulnerability: what a finding of one of its aliases borrows. */
export interface AliasSeverity {
  /** The record that gives it. */
  readonly id: string;
  readonly severity: SeverityAssessment;
}

/** What one record adds to a store's indexes. */
export interface RecordIndex {
  /** One advisory per package the record names; none for a withdrawn record. */
  readonly packages: readonly {
    readonly query: PackageQuery;
    readonly advisory: PackageAdvisory;
  }[];
  /**
   * The ids the record's severity is found by (its id, aliases and upstream ids), when it gives
   * one and is not withdrawn; else none.
   */
  readonly aliases: readonly string[];
  readonly severity?: AliasSeverity;
}

/**
 * How `record` is indexed: per (ecosystem key, normalised name) the advisory with the entries
 * naming that package, and per alias the record's severity. A withdrawn record matches nothing,
 * so it indexes nothing.
 */
export function indexRecord(record: OsvRecord): RecordIndex {
  if (record.withdrawn !== undefined) return { packages: [], aliases: [] };
  const byPackage = new Map<string, { query: PackageQuery; entries: AdvisoryEntry[] }>();
  for (const affected of record.affected) {
    const key = parseEcosystem(affected.ecosystem);
    const query = {
      ecosystem: ecosystemKeyString(key),
      name: normalizePackageName(key.ecosystem, affected.name),
    };
    const id = `${query.ecosystem}\0${query.name}`;
    const group = byPackage.get(id) ?? { query, entries: [] };
    group.entries.push(advisoryEntry(record, affected));
    byPackage.set(id, group);
  }
  const aliases = [...new Set([...record.aliases, ...record.upstream])].filter(
    (a) => a !== record.id,
  );
  const common = { id: record.id, aliases, ...(record.summary && { summary: record.summary }) };
  const packages = [...byPackage.values()].map(({ query, entries }) => ({
    query,
    advisory: { ...common, entries },
  }));
  const severity = recordSeverity(record);
  return severity === undefined
    ? { packages, aliases: [] }
    : { packages, aliases: [record.id, ...aliases], severity: { id: record.id, severity } };
}

function advisoryEntry(record: OsvRecord, affected: OsvAffected): AdvisoryEntry {
  const status = distroStatus(affected);
  const severity = advisorySeverity(record, affected);
  return {
    ecosystem: affected.ecosystem,
    ranges: affected.ranges,
    versions: affected.versions,
    ...(status !== undefined && { status }),
    ...(severity !== undefined && { severity }),
    ...(affected.goImports !== undefined && { imports: affected.goImports }),
  };
}

/** A distro's own word for an unfixed vulnerability (`postponed`, `deferred`, `will_not_fix`). */
function distroStatus(entry: OsvAffected): string | undefined {
  const status = entry.ecosystemSpecific?.status ?? entry.databaseSpecific?.status;
  return typeof status === 'string' && status !== '' ? status : undefined;
}
