import { CodedError, type ErrorKind } from '../core';

export type ObjectStoreErrorCode = 'INVALID_OBJECT_KEY';

/** A key that would leave the store (`..`, an empty segment): made by our code, so a bug. */
export class ObjectStoreError extends CodedError<ObjectStoreErrorCode> {
  static override readonly defaultKind: ErrorKind = 'bug';
}
