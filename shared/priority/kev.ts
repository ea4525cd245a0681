import { z } from 'zod';
import { issueMessage, parseJson } from '../core';
import { PriorityError } from './errors';
import type { KevEntry, KevVersion } from './types';

/** CISA's feed (https://www.cisa.gov/known-exploited-vulnerabilities-catalog). */
export const DEFAULT_KEV_URL =
  'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json';

/** The catalog is about 1.5 MB; a file many times that is not it. */
const MAX_KEV_BYTES = 64 * 1024 * 1024;

const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');

const entrySchema = z.object({
  cveID: z.string().regex(/^CVE-\d{4}-\d{4,}$/, 'expected a CVE id (CVE-YYYY-NNNN)'),
  dateAdded: DATE,
  dueDate: DATE,
  knownRansomwareCampaignUse: z.string(),
  vulnerabilityName: z.string().optional(),
  requiredAction: z.string().optional(),
});

const catalogSchema = z.object({
  catalogVersion: z.string().min(1),
  dateReleased: z.string().min(1),
  count: z.number().int().nonnegative(),
  vulnerabilities: z.array(entrySchema),
});

/** A KEV catalog read: its version and its entries, one per CVE. */
export interface KevCatalog {
  readonly version: KevVersion;
  readonly entries: readonly KevEntry[];
}

/**
 * Parses CISA's `known_exploited_vulnerabilities.json`. The document is one JSON object of
 * about 1.5 MB, read whole (64 MiB at most). Fields besides the ones findings carry are
 * dropped. Anything else than the published shape fails with `KEV_MALFORMED` naming the field
 * (`vulnerabilities[12].dueDate expected a date YYYY-MM-DD`); `source` names the file.
 */
export function parseKevCatalog(bytes: Buffer, source: string): KevCatalog {
  if (bytes.length > MAX_KEV_BYTES)
    throw malformed(source, `is ${bytes.length} bytes, more than a KEV catalog's ${MAX_KEV_BYTES}`);
  const json = parseJson(bytes);
  if ('reason' in json) throw malformed(source, json.reason);
  const parsed = catalogSchema.safeParse(json.value);
  if (!parsed.success) throw malformed(source, issueMessage(parsed.error));
  const { catalogVersion, dateReleased, vulnerabilities } = parsed.data;
  const byCve = new Map(vulnerabilities.map((entry) => [entry.cveID, stripped(entry)]));
  return {
    version: { catalogVersion, dateReleased, count: byCve.size },
    entries: [...byCve.values()],
  };
}

/** The entry without the optional fields the feed leaves out (no `undefined` keys). */
function stripped(entry: z.infer<typeof entrySchema>): KevEntry {
  return Object.fromEntries(
    Object.entries(entry).filter(([, value]) => value !== undefined),
  ) as unknown as KevEntry;
}

function malformed(source: string, reason: string): PriorityError {
  return new PriorityError('KEV_MALFORMED', `${source}: not a KEV catalog: ${reason}`);
}
