import { parse as parseYaml } from 'yaml';
import { isObject } from '../core/json';
import { yamlDay } from '../core/yaml';
import { SuppressionError } from './errors';

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
  if (!isObject(document) || !Array.isArray(document.ignore))
    return fail('expected a top-level "ignore:" list');
  return document.ignore.map((entry, i) => entryOf(entry, (why) => fail(`ignore[${i}]: ${why}`)));
}

function entryOf(value: unknown, fail: (why: string) => never): IgnoreEntry {
  if (!isObject(value)) return fail('not a mapping');
  const field = (key: string) => yamlDay(value[key]);
  const id = field('id') ?? fail('no "id"');
  const reason = field('reason') ?? fail(`${id}: no "reason"`);
  const owner = field('owner') ?? fail(`${id}: no "owner"`);
  const expires = field('expires');
  if (expires !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(expires))
    return fail(`${id}: "expires" is not a YYYY-MM-DD date`);
  const purl = field('purl');
  return {
    id,
    ...(purl !== undefined && { purl }),
    reason,
    owner,
    ...(expires !== undefined && { expires }),
  };
}
