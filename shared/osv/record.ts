import { isObject, type JsonObject } from '../core/json';

/**
 * The parts of an OSV record (https://ossf.github.io/osv-schema/) that matching and reporting
 * use, read from untrusted JSON: every field is checked, nothing is taken on trust.
 */
export interface OsvRecord {
  readonly id: string;
  /** RFC 3339 time of the last change; the store keeps the newest copy of each id. */
  readonly modified: string;
  readonly published?: string;
  /** Set when the record was retracted: it matches nothing. */
  readonly withdrawn?: string;
  readonly aliases: readonly string[];
  readonly related: readonly string[];
  readonly upstream: readonly string[];
  readonly summary?: string;
  readonly details?: string;
  readonly severity: readonly OsvSeverity[];
  readonly affected: readonly OsvAffected[];
  readonly databaseSpecific?: JsonObject;
}

export interface OsvSeverity {
  /** `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`, … */
  readonly type: string;
  /** A CVSS vector, or the scheme's own label (Ubuntu priorities). */
  readonly score: string;
}

export interface OsvAffected {
  readonly ecosystem: string;
  readonly name: string;
  readonly purl?: string;
  readonly severity: readonly OsvSeverity[];
  /** ECOSYSTEM and SEMVER ranges; GIT ranges are skipped (commits are not in images). */
  readonly ranges: readonly OsvRange[];
  /** Versions listed one by one, affected in addition to the ranges. */
  readonly versions: readonly string[];
  readonly ecosystemSpecific?: JsonObject;
  readonly databaseSpecific?: JsonObject;
  /**
   * The Go vulnerability database's `ecosystem_specific.imports`: the packages of the module
   * that hold the vulnerability, each limited to platforms and functions. Absent when the entry
   * names none, or names them in a shape this version does not read: the whole module is then
   * affected, everywhere (the cautious reading).
   */
  readonly goImports?: readonly GoImport[];
}

/** One package of a Go module entry (https://go.dev/security/vuln/database#schema). */
export interface GoImport {
  /** The import path (`net/http`, `golang.org/x/net/http2`, `cmd/go`). */
  readonly path: string;
  /** Only on these GOOS values; every one when absent. */
  readonly goos?: readonly string[];
  /** Only on these GOARCH values; every one when absent. */
  readonly goarch?: readonly string[];
  /** The affected functions (`Get`, `Transport.RoundTrip`); the whole package when absent. */
  readonly symbols?: readonly string[];
}

export interface OsvRange {
  readonly type: 'ECOSYSTEM' | 'SEMVER';
  readonly events: readonly OsvEvent[];
}

export type OsvEventKind = 'introduced' | 'fixed' | 'last_affected' | 'limit';

export interface OsvEvent {
  readonly kind: OsvEventKind;
  readonly version: string;
}

/** A record read, with how many GIT ranges it held; or why it is not a usable record. */
export type OsvParse =
  { readonly record: OsvRecord; readonly gitRanges: number } | { readonly reason: string };

const EVENT_KINDS: readonly OsvEventKind[] = ['introduced', 'fixed', 'last_affected', 'limit'];

/** Reads one OSV record; a record that lacks what matching needs is a reason, never a throw. */
export function parseOsvRecord(value: unknown): OsvParse {
  if (!isObject(value)) return { reason: 'not a JSON object' };
  const id = text(value.id);
  const modified = text(value.modified);
  if (id === undefined) return { reason: 'no id' };
  if (modified === undefined || Number.isNaN(Date.parse(modified)))
    return { reason: `${id}: no valid "modified" time` };
  if (value.affected !== undefined && !Array.isArray(value.affected))
    return { reason: `${id}: "affected" is not a list` };
  let gitRanges = 0;
  const affected: OsvAffected[] = [];
  for (const [i, entry] of ((value.affected as unknown[] | undefined) ?? []).entries()) {
    const parsed = parseAffected(entry);
    if ('reason' in parsed) return { reason: `${id}: affected[${i}]: ${parsed.reason}` };
    affected.push(parsed.affected);
    gitRanges += parsed.gitRanges;
  }
  const record: OsvRecord = {
    id,
    modified,
    ...optionalText(value, 'published'),
    ...optionalText(value, 'withdrawn'),
    aliases: texts(value.aliases),
    related: texts(value.related),
    upstream: texts(value.upstream),
    ...optionalText(value, 'summary'),
    ...optionalText(value, 'details'),
    severity: severities(value.severity),
    affected,
    ...(isObject(value.database_specific) && { databaseSpecific: value.database_specific }),
  };
  return { record, gitRanges };
}

function parseAffected(
  value: unknown,
): { affected: OsvAffected; gitRanges: number } | { reason: string } {
  if (!isObject(value)) return { reason: 'not an object' };
  const pkg = isObject(value.package) ? value.package : undefined;
  const ecosystem = pkg && text(pkg.ecosystem);
  const name = pkg && text(pkg.name);
  if (ecosystem === undefined || name === undefined)
    return { reason: 'no package ecosystem and name' };
  const ranges = parseRanges(value.ranges);
  if (typeof ranges === 'string') return { reason: ranges };
  const purl = text(pkg?.purl);
  return {
    gitRanges: ranges.gitRanges,
    affected: {
      ecosystem,
      name,
      ...(purl !== undefined && { purl }),
      severity: severities(value.severity),
      ranges: ranges.ranges,
      versions: texts(value.versions),
      ...(isObject(value.ecosystem_specific) && { ecosystemSpecific: value.ecosystem_specific }),
      ...(isObject(value.database_specific) && { databaseSpecific: value.database_specific }),
      ...goImportsOf(value.ecosystem_specific),
    },
  };
}

/** `ecosystem_specific.imports` when every import is of the documented shape; else none. */
function goImportsOf(value: unknown): { goImports?: GoImport[] } {
  const imports = isObject(value) ? value.imports : undefined;
  if (!Array.isArray(imports) || imports.length === 0) return {};
  const parsed: GoImport[] = [];
  for (const entry of imports as unknown[]) {
    if (!isObject(entry)) return {};
    const path = text(entry.path);
    if (path === undefined) return {};
    const lists = { goos: entry.goos, goarch: entry.goarch, symbols: entry.symbols };
    const fields: Record<string, string[]> = {};
    for (const [key, list] of Object.entries(lists)) {
      if (list === undefined || list === null) continue;
      if (!Array.isArray(list) || !list.every((v) => typeof v === 'string' && v !== '')) return {};
      if (list.length > 0) fields[key] = list as string[];
    }
    parsed.push({ path, ...fields });
  }
  return { goImports: parsed };
}

/** ECOSYSTEM and SEMVER ranges, GIT ones counted; a reason when one is unusable. */
function parseRanges(value: unknown): { ranges: OsvRange[]; gitRanges: number } | string {
  let gitRanges = 0;
  const ranges: OsvRange[] = [];
  for (const range of Array.isArray(value) ? value : []) {
    if (!isObject(range)) return 'a range is not an object';
    if (range.type === 'GIT') {
      gitRanges++;
      continue;
    }
    if (range.type !== 'ECOSYSTEM' && range.type !== 'SEMVER')
      return `unknown range type ${JSON.stringify(range.type)}`;
    const events = parseEvents(range.events);
    if (typeof events === 'string') return events;
    ranges.push({ type: range.type, events });
  }
  return { ranges, gitRanges };
}

function parseEvents(value: unknown): OsvEvent[] | string {
  if (!Array.isArray(value) || value.length === 0) return 'a range without events';
  const events: OsvEvent[] = [];
  for (const event of value) {
    const kinds = isObject(event) ? EVENT_KINDS.filter((k) => event[k] !== undefined) : [];
    const version = kinds.length === 1 ? text((event as JsonObject)[kinds[0]!]) : undefined;
    if (version === undefined)
      return `an event that is not exactly one of ${EVENT_KINDS.join(', ')}`;
    events.push({ kind: kinds[0]!, version });
  }
  return events.some((e) => e.kind === 'introduced') ? events : 'a range without "introduced"';
}

function severities(value: unknown): OsvSeverity[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((s) => {
    const type = isObject(s) ? text(s.type) : undefined;
    const score = isObject(s) ? text(s.score) : undefined;
    return type !== undefined && score !== undefined ? [{ type, score }] : [];
  });
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function texts(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function optionalText(value: JsonObject, key: string): Record<string, string> {
  const field = text(value[key]);
  return field === undefined ? {} : { [key]: field };
}
