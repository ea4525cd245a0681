import { CodedError } from '../core';

export type PriorityErrorCode =
  /** The KEV catalog is not the JSON document CISA publishes (which field, and why). */
  | 'KEV_MALFORMED'
  /** The EPSS CSV is not FIRST's format (which line, and why). */
  | 'EPSS_MALFORMED'
  /** The file cannot be opened or read. */
  | 'PRIORITY_UNREADABLE';

/** A KEV catalog or EPSS file that cannot be read; always input: fix or replace the file. */
export class PriorityError extends CodedError<PriorityErrorCode> {}
