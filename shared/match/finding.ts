import type { Digest } from '../image/digest';
import type { Severity } from '../osv/severity';

/** `fixed` when a fixed version exists; `not-fixed` when none does yet; or the distro's word. */
export type FindingStatus = 'fixed' | 'not-fixed' | (string & {});

/** One advisory that affects one installed package. */
export interface Finding {
  /** The advisory's id as its source writes it (`DSA-5532-1`, `GHSA-…`, `GO-2024-2687`). */
  readonly id: string;
  /** CVE ids and other ids of the same vulnerability, the advisory's own first. */
  readonly aliases: readonly string[];
  readonly purl: string;
  /** The package as the inventory names it. */
  readonly package: string;
  readonly installedVersion: string;
  readonly fixedVersion: string | null;
  readonly status: FindingStatus;
  readonly severity: Severity;
  readonly cvss: { readonly score: number; readonly vector: string } | null;
  /** Who decided the severity: `cvss`, `ghsa`, `debian-urgency`, `ubuntu-priority`, `none`. */
  readonly severitySource: string;
  /** The advisory source: `OSV:` and the ecosystem string of the entry that matched. */
  readonly source: string;
  readonly summary: string | null;
  /** The layer that introduced the package, and the file it was found in. */
  readonly layer: Digest;
  readonly path: string;
  /** What suppresses the finding (a VEX statement, an ignore entry), or null. */
  readonly suppressedBy: null | { readonly kind: string; readonly reason: string };
}

/**
 * A package (or, without `purl`, a set of them) that could not be checked, and why. A scan
 * never reports such a package as "not affected".
 */
export interface MatchProblem {
  readonly purl?: string;
  readonly reason: string;
}
