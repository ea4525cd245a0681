import { CodedError } from '../core';

export type VulnDbErrorCode =
  | 'VULNDB_MISSING'
  | 'VULNDB_INCOMPATIBLE'
  /** The store's file is damaged, cut short, not SQLite, or lacks the store's tables. */
  | 'VULNDB_CORRUPT'
  /** `--db` names what cannot hold a store: a file, a place that cannot be made or written. */
  | 'VULNDB_LOCATION_INVALID'
  | 'VULNDB_SOURCE_UNREADABLE'
  | 'VULNDB_DOWNLOAD_FAILED'
  /** A request to the cloud store (DynamoDB) failed; its `kind` says whether to retry. */
  | 'VULNDB_STORE_FAILED';

/** The vulnerability data cannot be opened, read or fetched. */
export class VulnDbError extends CodedError<VulnDbErrorCode> {}
