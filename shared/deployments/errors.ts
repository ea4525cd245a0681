import { CodedError, type ErrorKind } from '../core';

/** Every `code` a {@link DeploymentError} carries. */
export type DeploymentErrorCode =
  /** A setting of the runtime gate (enforcement, clusters, exceptions) is not of its form. */
  'MISCONFIGURED';

/** The deployment watch given settings it cannot use; named by variable and field. */
export class DeploymentError extends CodedError<DeploymentErrorCode> {
  /** Settings come from the stack's configuration: fixed by a person, never by a retry. */
  static override readonly defaultKind: ErrorKind = 'input';
}
