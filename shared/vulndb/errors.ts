import { ClearanceError, type ErrorKind } from '../core/errors';

export type VulnDbErrorCode =
  | 'VULNDB_MISSING'
  | 'VULNDB_INCOMPATIBLE'
  | 'VULNDB_SOURCE_UNREADABLE'
  | 'VULNDB_DOWNLOAD_FAILED'
  /** A request to the cloud store (DynamoDB) failed; its `kind` says whether to retry. */
  | 'VULNDB_STORE_FAILED';

/** The vulnerability data cannot be opened, read or fetched. */
export class VulnDbError extends ClearanceError {
  readonly kind: ErrorKind;

  constructor(
    readonly code: VulnDbErrorCode,
    message: string,
    options?: { cause?: unknown; kind?: ErrorKind },
  ) {
    super(message, options);
    this.kind = options?.kind ?? 'input';
  }
}
