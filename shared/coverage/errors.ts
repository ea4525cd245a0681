import { CodedError } from '../core';

export type CoverageErrorCode = 'INVALID_GAP_PATTERN';

/** A gap named to be accepted (`--allow-gap`, a policy exception) that names no gap kind. */
export class CoverageError extends CodedError<CoverageErrorCode> {}
