import type { Digest } from '../image';
import type { Severity } from '../osv';
import type { GoApplicability } from './go-applicability';
import type { EpssScore, KevEntry } from '../priority';

/** Defined with the KEV and EPSS readers (shared/priority); named here too, beside `Finding`. */
export type { EpssScore, KevEntry } from '../priority';

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
  /**
   * What suppresses the finding (a VEX statement, an ignore entry, `not-applicable` when the
   * vulnerability cannot be in the binary: see `applicability`), or null.
   */
  readonly suppressedBy: null | { readonly kind: string; readonly reason: string };
  /** Go findings in a binary: how the advisory's packages, platforms and functions bear on it. */
  readonly applicability?: GoApplicability;
  /**
   * CISA's Known Exploited Vulnerabilities catalog entry of the finding's CVE (or an alias's):
   * null when the catalog does not list it; absent when the scan had no KEV data.
   */
  readonly kev?: KevEntry | null;
  /** FIRST EPSS score of the CVE: null when EPSS has none; absent when the scan had no EPSS data. */
  readonly epss?: EpssScore | null;
}

/**
 * A package (or, without `purl`, a set of them) that could not be checked, and why. A scan
 * never reports such a package as "not affected": each problem is a coverage gap.
 * - `no-advisory-source`: no advisories exist for the packages' OS or ecosystem in the data;
 * - `version-unparsed`: the version, or an advisory's range, is not one its scheme reads.
 */
export interface MatchProblem {
  readonly kind: 'no-advisory-source' | 'version-unparsed';
  /** The ecosystem key (`Debian:12`, `npm`), or the OS as os-release names it (`fedora 40`). */
  readonly ecosystem: string;
  readonly purl?: string;
  /** Packages it concerns (1 with a purl). */
  readonly packages: number;
  readonly reason: string;
}
