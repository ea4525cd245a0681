import { CodedError } from '../core';

/** Every `code` a {@link FleetError} carries. */
export type FleetErrorCode =
  /** A line of the items file is not an `ImageTarget` (or the file is missing). */
  | 'FLEET_ITEMS_MALFORMED'
  /** The Distributed Map's ResultWriter output (manifest or result file) is missing or of another shape. */
  | 'FLEET_RESULTS_MALFORMED'
  /** A fleet run id that cannot name objects and executions. */
  | 'FLEET_RUN_ID_INVALID'
  /** A stored scan report is not a report this version reads. */
  | 'FLEET_REPORT_MALFORMED';

/** A failure of the nightly fleet run (FleetScan). */
export class FleetError extends CodedError<FleetErrorCode> {}
