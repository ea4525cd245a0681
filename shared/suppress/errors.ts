import { CodedError } from '../core';

export type SuppressionErrorCode = 'VEX_INVALID' | 'IGNORE_FILE_INVALID';

/** A VEX document or ignore file that cannot be used; the scan stops rather than guess. */
export class SuppressionError extends CodedError<SuppressionErrorCode> {}
