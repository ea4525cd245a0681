import type { Inventory } from '../inventory/package';

/** Version of the scan report's shape; bumped on any incompatible change. */
export const SCAN_SCHEMA_VERSION = 1;

/** `clearance scan --format json` for one platform image. Later issues add vulnerabilities, secrets, checks. */
export interface ScanReport extends Inventory {
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

/** A multi-platform image scanned without `--platform`: one report per platform. */
export interface MultiPlatformScanReport {
  readonly schemaVersion: typeof SCAN_SCHEMA_VERSION;
  readonly image: { readonly reference: string; readonly digest: string };
  readonly platforms: readonly ScanReport[];
}
