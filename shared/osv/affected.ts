import { InvalidVersionError } from '../versions';
import type { RangeSchemes, VersionScheme } from '../versions';

export type { RangeSchemes };
import type { OsvAffected, OsvEvent, OsvRange } from './record';

/** Whether one installed version falls in an advisory's affected package entry. */
export interface AffectedVersion {
  readonly affected: boolean;
  /** The lowest `fixed` above the installed version in the range that matched, if any. */
  readonly fixedVersion?: string;
  /** Ranges that could not be evaluated (an event version the scheme cannot parse). */
  readonly problems: readonly string[];
}

/**
 * Evaluates `version` against an affected entry as the OSV specification describes
 * (https://ossf.github.io/osv-schema/#evaluation): within each range, events sorted by version,
 * `introduced` opens, `fixed` closes before itself, `last_affected` closes after itself, and
 * `limit` bounds the range from above; plus the explicit `versions` list. Throws
 * {@link InvalidVersionError} when the installed version itself cannot be parsed.
 */
export function evaluateAffected(
  entry: Pick<OsvAffected, 'ranges' | 'versions'>,
  version: string,
  schemes: RangeSchemes,
): AffectedVersion {
  if (!schemes.ecosystem.isValid(version))
    throw new InvalidVersionError(schemes.ecosystem.name, version);
  const problems: string[] = [];
  let fixedVersion: string | undefined;
  let affected = entry.versions.some((listed) => equal(schemes.ecosystem, listed, version));
  for (const range of entry.ranges) {
    const scheme = range.type === 'SEMVER' ? schemes.semver : schemes.ecosystem;
    try {
      const result = evaluateRange(range, version, scheme);
      if (result.affected) {
        affected = true;
        fixedVersion ??= result.fixedVersion;
      }
    } catch (error) {
      if (!(error instanceof InvalidVersionError)) throw error;
      problems.push(`${range.type} range not evaluated: ${error.message}`);
    }
  }
  return { affected, ...(fixedVersion !== undefined && { fixedVersion }), problems };
}

function evaluateRange(
  range: OsvRange,
  version: string,
  scheme: VersionScheme,
): { affected: boolean; fixedVersion?: string } {
  const events = sortEvents(range.events, scheme);
  const limits = events.filter((e) => e.kind === 'limit');
  if (limits.length > 0 && limits.every((e) => scheme.compare(version, e.version) >= 0))
    return { affected: false };
  let affected = false;
  for (const event of events) {
    if (event.kind === 'introduced') {
      if (event.version === '0' || scheme.compare(version, event.version) >= 0) affected = true;
    } else if (event.kind === 'fixed') {
      if (scheme.compare(version, event.version) >= 0) affected = false;
    } else if (event.kind === 'last_affected' && scheme.compare(version, event.version) > 0) {
      affected = false;
    }
  }
  if (!affected) return { affected };
  const fixed = events.find((e) => e.kind === 'fixed' && scheme.compare(e.version, version) > 0);
  return { affected, ...(fixed !== undefined && { fixedVersion: fixed.version }) };
}

/** Events in version order, `introduced: 0` first; at one version, `introduced` first. */
function sortEvents(events: readonly OsvEvent[], scheme: VersionScheme): OsvEvent[] {
  const zero = (e: OsvEvent) => e.kind === 'introduced' && e.version === '0';
  return [...events].sort((a, b) => {
    if (zero(a) || zero(b)) return Number(zero(b)) - Number(zero(a));
    const order = scheme.compare(a.version, b.version);
    if (order !== 0) return order;
    return Number(b.kind === 'introduced') - Number(a.kind === 'introduced');
  });
}

function equal(scheme: VersionScheme, listed: string, version: string): boolean {
  return scheme.isValid(listed) && scheme.compare(listed, version) === 0;
}
