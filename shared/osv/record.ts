import type { z } from 'zod/v4';
import type { JsonObject } from '../core';
import { fieldPath, firstIssue } from '../core';
import {
  GoImports,
  OsvRecordSchema,
  type AffectedInput,
  type OsvRecordInput,
} from './record-schema';

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

/**
 * Reads one OSV record; a record that lacks what matching needs is a reason, never a throw.
 * The reason names the record and the affected entry at fault (`X-3: affected[0]: …`).
 */
export function parseOsvRecord(value: unknown): OsvParse {
  const parsed = OsvRecordSchema.safeParse(value);
  return parsed.success ? recordOf(parsed.data) : { reason: reasonOf(parsed.error, value) };
}

/**
 * The first problem as a reason: the record's own (`no id`, `X-2: no valid "modified" time`),
 * or the affected entry's, named by the entry rather than the field inside it.
 */
function reasonOf(error: z.ZodError, value: unknown): string {
  const { path, message } = firstIssue(error);
  if (path.length === 0 || path[0] === 'id') return message;
  // Any other issue comes after the id's: the id was read.
  const id = (value as { id: string }).id;
  const entry = path[0] === 'affected' && path.length > 1 ? `${fieldPath(path.slice(0, 2))}: ` : '';
  return `${id}: ${entry}${message}`;
}

function recordOf(value: OsvRecordInput): OsvParse {
  let gitRanges = 0;
  const affected = (value.affected ?? []).map((entry) => {
    const ranges: OsvRange[] = [];
    for (const range of entry.ranges)
      if (range.type === 'GIT') gitRanges++;
      else ranges.push({ type: range.type, events: range.events });
    return affectedOf(entry, ranges);
  });
  const record: OsvRecord = {
    id: value.id,
    modified: value.modified,
    ...optional('published', value.published),
    ...optional('withdrawn', value.withdrawn),
    aliases: value.aliases,
    related: value.related,
    upstream: value.upstream,
    ...optional('summary', value.summary),
    ...optional('details', value.details),
    severity: value.severity,
    affected,
    ...optional('databaseSpecific', value.database_specific),
  };
  return { record, gitRanges };
}

function affectedOf(entry: AffectedInput, ranges: OsvRange[]): OsvAffected {
  return {
    ecosystem: entry.package.ecosystem,
    name: entry.package.name,
    ...optional('purl', entry.package.purl),
    severity: entry.severity,
    ranges,
    versions: entry.versions,
    ...optional('ecosystemSpecific', entry.ecosystem_specific),
    ...optional('databaseSpecific', entry.database_specific),
    ...goImportsOf(entry.ecosystem_specific),
  };
}

/** `ecosystem_specific.imports` when every import is of the documented shape; else none. */
function goImportsOf(ecosystemSpecific: JsonObject | undefined): { goImports?: GoImport[] } {
  if (ecosystemSpecific?.imports === undefined) return {};
  const parsed = GoImports.safeParse(ecosystemSpecific.imports);
  if (!parsed.success) return {};
  return {
    goImports: parsed.data.map(({ path, goos, goarch, symbols }) => ({
      path,
      ...optional('goos', goos?.length ? goos : undefined),
      ...optional('goarch', goarch?.length ? goarch : undefined),
      ...optional('symbols', symbols?.length ? symbols : undefined),
    })),
  };
}

function optional<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return value === undefined || value === null ? {} : ({ [key]: value } as { [P in K]: V });
}
