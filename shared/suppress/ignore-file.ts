import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { yamlDay } from '../core';
import { firstIssue } from '../core';
import { SuppressionError } from './errors';

const TOP_LEVEL_LIST = 'expected a top-level "ignore:" list';

/** One entry of `.clearanceignore.yaml`. */
export interface IgnoreEntry {
  /** A vulnerability id or alias (`CVE-2023-5363`, `GHSA-…`). */
  readonly id: string;
  /** A purl (versionless names every version) or a pattern with `*`; every package when absent. */
  readonly purl?: string;
  readonly reason: string;
  readonly owner: string;
  /** The last day (YYYY-MM-DD, UTC) the entry suppresses; absent means until removed. */
  readonly expires?: string;
}

/**
 * Reads an ignore file:
 *
 * ```yaml
 * ignore:
 *   - id: CVE-2023-5363
 *     purl: pkg:deb/debian/openssl      # optional
 *     reason: the affected cipher mode is not used
 *     owner: team-payments
 *     expires: 2027-01-31               # optional, YYYY-MM-DD
 * ```
 *
 * An entry without an id, reason or owner, or with a date that is not one, fails the scan:
 * a suppression nobody can account for is not taken.
 */
export function parseIgnoreFile(text: string, source: string): IgnoreEntry[] {
  const fail = (why: string): never => {
    throw new SuppressionError('IGNORE_FILE_INVALID', `${source}: ${why}`);
  };
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    return fail(`not YAML: ${(error as Error).message}`);
  }
  if (document === null || document === undefined) return [];
  const parsed = IgnoreDocument.safeParse(document);
  if (!parsed.success) return fail(firstIssue(parsed.error).message);
  return parsed.data.ignore.map((entry, i) =>
    entryOf(entry, (why) => fail(`ignore[${i}]: ${why}`)),
  );
}

/** A YAML scalar as text: trimmed, not empty; an unquoted date as its day (see yamlDay). */
const YamlText = z.unknown().transform(yamlDay);
const required = (key: string) => YamlText.pipe(z.string({ message: `no "${key}"` }));

const IgnoreDocument = z.object(
  { ignore: z.array(z.unknown(), { message: TOP_LEVEL_LIST }) },
  { message: TOP_LEVEL_LIST },
);
/** An entry is named by its id, then read: its problems are the id's (`X: no "owner"`). */
const EntryId = z.object({ id: required('id') }, { message: 'not a mapping' });
const Entry = z.object({
  reason: required('reason'),
  owner: required('owner'),
  expires: YamlText.pipe(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, '"expires" is not a YYYY-MM-DD date')
      .optional(),
  ),
  purl: YamlText,
});

function entryOf(value: unknown, fail: (why: string) => never): IgnoreEntry {
  const named = EntryId.safeParse(value);
  if (!named.success) return fail(firstIssue(named.error).message);
  const { id } = named.data;
  const entry = Entry.safeParse(value);
  if (!entry.success) return fail(`${id}: ${firstIssue(entry.error).message}`);
  const { purl, reason, owner, expires } = entry.data;
  return {
    id,
    ...(purl !== undefined && { purl }),
    reason,
    owner,
    ...(expires !== undefined && { expires }),
  };
}
