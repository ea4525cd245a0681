import { CodedError } from '../core';

/** Every `code` a {@link PostureRunError} carries. */
export type PostureRunErrorCode =
  /** No recording could be collected: there was nothing to judge. */
  'POSTURE_NOT_COLLECTED';

/** A failure of the nightly posture run. */
export class PostureRunError extends CodedError<PostureRunErrorCode> {}
