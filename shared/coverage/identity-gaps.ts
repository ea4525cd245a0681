import type { Package } from '../inventory';
import type { CoverageGap } from './gap';

/** How many artifacts a gap's reason names before it counts the rest. */
const NAMED = 3;

/**
 * One `identity-unknown` gap per file holding Java archives reported without a Maven group
 * (no `pom.properties`, nothing else that names the group reliably). Maven advisories name
 * `group:artifact`, and no match is guessed for an artifact id alone, so such an archive is not
 * checked. An archive an OS package installed is not a gap: its distribution's advisories judge
 * it (the default, precise detection). The subject is the file, as for `file-unparsed`.
 */
export function identityGaps(packages: readonly Package[]): CoverageGap[] {
  const byFile = new Map<string, Package[]>();
  for (const p of packages) {
    if (p.type !== 'maven' || p.ownedBy !== null || p.name.includes(':')) continue;
    const list = byFile.get(p.path);
    if (list === undefined) byFile.set(p.path, [p]);
    else list.push(p);
  }
  return [...byFile].map(([path, unknown]) => {
    const named = unknown.slice(0, NAMED).map((p) => `${p.name} ${p.version}`.trim());
    const more = unknown.length - named.length;
    return {
      kind: 'identity-unknown' as const,
      subject: path,
      reason: `no Maven group for ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}: the archive has no pom.properties and nothing else names its group reliably`,
      affects:
        'the advisories of these archives: Maven advisories name group:artifact, and none is guessed',
      layer: unknown[0]!.layer,
      acceptedBy: null,
    };
  });
}
