import type { EpssVersion, KevVersion } from '../priority';
import type { Inventory } from '../inventory';
import type { CheckResult } from '../checks';
import type { Coverage } from '../coverage';
import type { SignatureReport } from '../signatures';
import type { Finding, MatchProblem } from '../match';
import type { GoBinary } from '../match';
import type { SecretFinding, SensitiveFileFinding } from '../secrets';
import type { IgnoreEntry } from '../suppress';

/** Version of the scan report's shape; bumped on any incompatible change. */
export const SCAN_SCHEMA_VERSION = 1;

/** The vulnerability part of a report, present when the scan had vulnerability data. */
export interface VulnerabilityReport {
  /** Every finding, suppressed ones included (marked `suppressedBy`), most severe first. */
  readonly vulnerabilities: readonly Finding[];
  /** The data that decided them. */
  readonly database: {
    readonly version: string;
    readonly updatedAt: string | null;
    readonly newestModified: string | null;
    /** The KEV catalog findings were ranked by (their `kev`); absent without KEV data. */
    readonly kev?: KevVersion;
    /** The EPSS scores findings carry (their `epss`); absent without EPSS data. */
    readonly epss?: EpssVersion;
  };
  /** Packages that could not be checked (a version no scheme parses, no advisories for the OS). */
  readonly vulnerabilityProblems: readonly MatchProblem[];
  /** Ignore entries past their expiry, which suppressed nothing. */
  readonly expiredIgnores: readonly IgnoreEntry[];
}

/**
 * What a scan found in one platform image, before the judges (the policy, the compliance
 * mapping) read it: `ScanReport` adds their verdicts.
 */
export interface ImageReport extends Inventory, Partial<VulnerabilityReport> {
  /**
   * The Go binaries of the final filesystem: platform, main package and function set, which
   * judge the Go findings (and judge them again when a stored report is matched again).
   */
  readonly goBinaries?: readonly GoBinary[];
  /**
   * What the scan could not check, each gap with why and who accepted it. Complete only when
   * there is no gap; a gate fails on any gap nobody accepted.
   */
  readonly coverage?: Coverage;
  /** Secrets in the layers and the config, when the scan searched for them. */
  readonly secrets?: readonly SecretFinding[];
  /** Files that should not ship in an image (keys, credentials, histories), likewise. */
  readonly sensitiveFiles?: readonly SensitiveFileFinding[];
  /** Whether the image is signed by one of the keys given (`--key`). */
  readonly signature?: SignatureReport;
  /** The image configuration checks, when the scan ran them. */
  readonly checks?: readonly CheckResult[];
  readonly schemaVersion: typeof SCAN_SCHEMA_VERSION;
  readonly image: {
    readonly reference: string;
    /** The digest the reference resolved to: the index for a multi-platform image. */
    readonly digest: string;
    readonly platform: string;
    /** The platform's own manifest digest (equal to `digest` for a single-manifest image). */
    readonly manifestDigest: string;
  };
}
