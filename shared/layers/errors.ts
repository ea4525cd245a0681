import { ClearanceError, type ErrorKind } from '../core';
import type { Digest } from '../image';

export type LayerErrorCode =
  | 'UNSUPPORTED_LAYER_MEDIA_TYPE'
  | 'UNSUPPORTED_COMPRESSION'
  | 'CORRUPT_COMPRESSION'
  | 'CORRUPT_TAR'
  | 'DIFF_ID_MISMATCH'
  /** The blob's bytes are not the digest or size its descriptor names (tampered, corrupt). */
  | 'BLOB_MISMATCH'
  | 'LAYER_LIMIT_EXCEEDED'
  | 'LAYER_UNREADABLE';

/** A layer could not be read to the end. Names the layer; the rest of the image is still read. */
export class LayerError extends ClearanceError<LayerErrorCode> {
  constructor(
    readonly code: LayerErrorCode,
    readonly layer: Digest,
    detail: string,
    readonly kind: ErrorKind = 'input',
    options?: { cause?: unknown },
  ) {
    super(`layer ${layer}: ${detail}`, options);
  }
}

/** Which configurable limit a layer hit; the option of the same name raises it. */
export type LayerLimitName = 'maxLayerBytes' | 'maxEntries' | 'maxCompressionRatio';

export class LayerLimitError extends LayerError {
  constructor(
    layer: Digest,
    readonly limit: LayerLimitName,
    readonly value: number,
  ) {
    super(
      'LAYER_LIMIT_EXCEEDED',
      layer,
      `exceeds ${limit} (${value}); raise the limit if this layer is trusted`,
    );
  }
}
