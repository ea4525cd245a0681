import { resolveScan, type ResolveDeps } from '../../shared/pipeline/resolve';
import { stepHandler } from '../../shared/pipeline/step-handler';
import { ScanImageInput } from '../../shared/pipeline/states';

/**
 * The Resolve state: `ScanImageInput` → `ResolvedScan` (platform images written to the store,
 * `scan.started` to the audit trail), or `SkippedScan` for what is not to be scanned.
 */
export function resolveHandler(deps: ResolveDeps) {
  return stepHandler('Resolve', ScanImageInput, (input) => resolveScan(input, deps));
}
