import type { JsonObject } from '../../core';
import type { OsvAffected, OsvRecord } from '../../osv';
import { rpmScheme } from '../../versions';
import {
  ALAS_ECOSYSTEMS,
  contextOfId,
  repositoryOf,
  storedId,
  streamOfTopic,
  type AlasContext,
} from './context';
import type { UpdateinfoPackage, UpdateinfoUpdate } from './updateinfo';

/** An update turned into an OSV record; `skip` for a non-security update; or why it is unusable. */
export type AlasConversion =
  { readonly record: OsvRecord } | { readonly skip: true } | { readonly reason: string };

/** The words Amazon rates advisories with (AL2 writes them lower-case, AL2023 capitalised). */
const SEVERITY_WORDS = new Set(['critical', 'important', 'medium', 'low']);
const CVE = /^CVE-\d{4}-\d{4,}$/;
/** `2023-05-01 20:41`, with seconds, or ISO 8601 with `T`; always UTC. */
const DATE = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?)?(Z|[+-]00:?00)?$/;
/** What an id or a package name may hold: no spaces, no control characters. */
const NAME = /^[\w.+~^-]{1,200}$/;

/**
 * One `<update>` as an OSV record (the shape shared/osv/record.ts reads), so that the store,
 * the matcher and the severity code treat ALAS like any OSV source:
 * - id the ALAS id (see {@link storedId}); aliases its CVEs; summary and details its title and
 *   description; published and modified its issued and updated dates (UTC);
 * - one affected entry per binary rpm name (source rpms skipped), ecosystem
 *   `Amazon Linux:<release>`, range `introduced` → `fixed` at `[epoch:]version-release` (epoch
 *   written only when not 0, as the matcher writes installed versions). A name listed for several
 *   arches with different builds gets the highest (see {@link fixedOf});
 * - an extras topic's entries start at the topic's stream (`kernel-5.10` → `introduced: 5.10`)
 *   when the fixed version is of that stream, so that an advisory of one stream never flags a
 *   package of another (a core 4.14 kernel against a 5.10 fix); others start at 0;
 * - each entry's `database_specific` carries Amazon's severity word, the repository and topic.
 * A non-security update without CVEs is skipped; one without an id, a date, packages, or with a
 * version rpm cannot have is a reason.
 */
export function alasRecord(
  update: UpdateinfoUpdate,
  context: AlasContext | undefined,
): AlasConversion {
  const rawId = update.id;
  if (rawId === undefined || rawId === '') return { reason: 'no id' };
  if (!NAME.test(rawId)) return { reason: `the id ${JSON.stringify(rawId)} is not an advisory id` };
  const cves = [...new Set(update.cves.map((c) => c.trim().toUpperCase()))].filter((c) =>
    CVE.test(c),
  );
  if (update.type !== undefined && update.type !== 'security' && cves.length === 0)
    return { skip: true };
  const where = context ?? contextOfId(rawId);
  if (where === undefined)
    return {
      reason: `${rawId}: not an Amazon Linux 2 or 2023 advisory id, and the file's repository is not known`,
    };
  const id = storedId(rawId, where);
  const dates = datesOf(update);
  if ('reason' in dates) return { reason: `${id}: ${dates.reason}` };
  const affected = affectedOf(update, where);
  if (typeof affected === 'string') return { reason: `${id}: ${affected}` };
  const record: OsvRecord = {
    id,
    modified: dates.modified,
    published: dates.published,
    aliases: cves,
    related: [],
    upstream: [],
    ...(update.title && { summary: update.title }),
    ...(update.description && { details: update.description }),
    severity: [],
    affected,
    databaseSpecific: { source: 'updateinfo', ...(id !== rawId && { updateinfo_id: rawId }) },
  };
  return { record };
}

function datesOf(
  update: UpdateinfoUpdate,
): { published: string; modified: string } | { reason: string } {
  const issued = update.issued === undefined ? undefined : rfc3339(update.issued);
  const updated = update.updated === undefined ? undefined : rfc3339(update.updated);
  if (issued === null)
    return { reason: `the issued date ${JSON.stringify(update.issued)} is not a date` };
  if (updated === null)
    return { reason: `the updated date ${JSON.stringify(update.updated)} is not a date` };
  const published = issued ?? updated;
  if (published === undefined) return { reason: 'no issued or updated date' };
  const modified = updated !== undefined && updated > published ? updated : published;
  return { published, modified };
}

/** `2023-05-01 20:41` → `2023-05-01T20:41:00Z`; null when it is not a real date. */
function rfc3339(value: string): string | null {
  const match = DATE.exec(value.trim());
  if (match === null) return null;
  const seconds = match[3] === undefined ? ':00' : match[3].slice(0, 3);
  const text = `${match[1]}T${match[2] ?? '00:00'}${seconds}Z`;
  const ms = Date.parse(text);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 19) !== text.slice(0, 19)
    ? null
    : text;
}

/** The entries, one per binary package name; a reason for the first unusable package. */
function affectedOf(update: UpdateinfoUpdate, where: AlasContext): OsvAffected[] | string {
  const builds = new Map<string, Map<string, string>>();
  for (const pkg of update.packages) {
    if (pkg.arch === 'src') continue;
    const evr = evrOf(pkg);
    if (typeof evr !== 'string') return evr.reason;
    const name = pkg.name!;
    const byArch = builds.get(name) ?? new Map<string, string>();
    byArch.set(pkg.arch ?? '', evr);
    builds.set(name, byArch);
  }
  if (builds.size === 0) return 'no binary packages';
  const severity = update.severity?.toLowerCase();
  return [...builds].map(([name, byArch]) =>
    entryOf(name, byArch, where, SEVERITY_WORDS.has(severity ?? '') ? severity : undefined),
  );
}

/** `[epoch:]version-release`, epoch 0 left out; or why the package is unusable. */
function evrOf(pkg: UpdateinfoPackage): string | { reason: string } {
  const { name, epoch, version, release } = pkg;
  if (name === undefined || !NAME.test(name))
    return { reason: `a package without a usable name (${JSON.stringify(name ?? null)})` };
  const problem = partsProblem(epoch, version);
  if (problem !== undefined) return { reason: `package ${name}: ${problem}` };
  const bare = release === undefined || release === '' ? version! : `${version}-${release}`;
  const evr = epoch === undefined || /^0*$/.test(epoch) ? bare : `${Number(epoch)}:${bare}`;
  return rpmScheme.isValid(evr) && !`${version}${release ?? ''}`.includes('-')
    ? evr
    : { reason: `package ${name}: ${JSON.stringify(evr)} is not an rpm version` };
}

function partsProblem(epoch: string | undefined, version: string | undefined): string | undefined {
  if (epoch !== undefined && epoch !== '' && !/^\d{1,10}$/.test(epoch))
    return `the epoch ${JSON.stringify(epoch)} is not a number`;
  return version === undefined || version === '' ? 'no version' : undefined;
}

function entryOf(
  name: string,
  byArch: ReadonlyMap<string, string>,
  where: AlasContext,
  severity: string | undefined,
): OsvAffected {
  const fixed = fixedOf([...byArch.values()]);
  const builds = [...new Set(byArch.values())];
  const databaseSpecific: JsonObject = {
    repository: repositoryOf(where),
    ...(where.topic !== undefined && { topic: where.topic }),
    ...(severity !== undefined && { severity }),
    ...(builds.length > 1 && { fixed_builds: builds.sort((a, b) => rpmScheme.compare(a, b)) }),
  };
  return {
    ecosystem: ALAS_ECOSYSTEMS[where.release],
    name,
    severity: [],
    ranges: [
      {
        type: 'ECOSYSTEM',
        events: [
          { kind: 'introduced', version: introducedOf(fixed, where.topic) },
          { kind: 'fixed', version: fixed },
        ],
      },
    ],
    versions: [],
    databaseSpecific,
  };
}

/**
 * The fixed version of a name built differently for different arches: the highest. A gate
 * cannot tell an image's arch from the advisory, and the lowest would pass a package Amazon says
 * still needs the higher build on some arch; the builds are kept in `fixed_builds`.
 */
export function fixedOf(versions: readonly string[]): string {
  return versions.reduce((a, b) => (rpmScheme.compare(a, b) >= 0 ? a : b));
}

/**
 * Where an extras topic's range starts: its stream (with the fixed version's epoch) when the
 * fixed version is of that stream (`5.10` for `5.10.210-201.852.amzn2` of `kernel-5.10`), else 0.
 */
export function introducedOf(fixed: string, topic: string | undefined): string {
  const stream = topic === undefined ? undefined : streamOfTopic(topic);
  if (stream === undefined) return '0';
  const colon = /^\d+:/.exec(fixed)?.[0] ?? '';
  const version = fixed.slice(colon.length);
  const ofStream = version.startsWith(stream) && !/^\d/.test(version.slice(stream.length));
  return ofStream ? `${colon}${stream}` : '0';
}
