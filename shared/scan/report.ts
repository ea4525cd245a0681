import type { ComplianceReport } from '../compliance';
import type { Verdict } from '../policy';
import type { ImageReport, SCAN_SCHEMA_VERSION } from '../report';

/** `clearance scan --format json` for one platform image: what it found, and the judges' verdicts. */
export interface ScanReport extends ImageReport {
  /** Control by control, for the framework asked for with `--compliance`. */
  readonly compliance?: ComplianceReport;
  /** The policy's decision, with `--policy`. */
  readonly verdict?: Verdict;
}

/** A multi-platform image scanned without `--platform`: one report per platform. */
export interface MultiPlatformScanReport {
  readonly schemaVersion: typeof SCAN_SCHEMA_VERSION;
  readonly image: { readonly reference: string; readonly digest: string };
  readonly platforms: readonly ScanReport[];
}
