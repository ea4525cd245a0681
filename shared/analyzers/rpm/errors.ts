import { CodedError } from '../../core';

/** Why an rpm database or header could not be read. */
export type RpmErrorCode = 'RPM_BAD_HEADER' | 'RPM_BAD_DATABASE';

/**
 * A malformed rpm header or package database. The analyser catches it and records a problem
 * (STYLE.md §9): it never leaves `analyze`.
 */
export class RpmError extends CodedError<RpmErrorCode> {}
