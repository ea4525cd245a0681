import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { Digest } from '../image/digest';
import { LayerError, LayerLimitError } from './errors';
import type { LayerLimits } from './limits';

export interface MeterOptions {
  readonly layer: Digest;
  readonly limits: LayerLimits;
  /** The digest the uncompressed bytes must have (`rootfs.diff_ids[i]`); unchecked when absent. */
  readonly diffId?: Digest;
  /** Compressed bytes read so far, for the ratio check. */
  readonly compressedBytes: () => number;
}

/**
 * Counts and hashes a layer's uncompressed bytes: enforces the size and compression-ratio limits
 * as the bytes flow, and checks the diff_id at the end.
 */
export class UncompressedMeter extends Transform {
  private readonly hash: Hash | undefined;
  private count = 0;

  constructor(private readonly options: MeterOptions) {
    super();
    this.hash = options.diffId === undefined ? undefined : createHash('sha256');
  }

  get bytes(): number {
    return this.count;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.count += chunk.length;
    const { limits, layer } = this.options;
    if (this.count > limits.maxLayerBytes) {
      callback(new LayerLimitError(layer, 'maxLayerBytes', limits.maxLayerBytes));
      return;
    }
    if (this.count > limits.ratioCheckAfterBytes) {
      const ratio = this.count / Math.max(1, this.options.compressedBytes());
      if (ratio > limits.maxCompressionRatio) {
        callback(new LayerLimitError(layer, 'maxCompressionRatio', limits.maxCompressionRatio));
        return;
      }
    }
    this.hash?.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const { diffId, layer } = this.options;
    if (this.hash === undefined || diffId === undefined) {
      callback();
      return;
    }
    const actual = `sha256:${this.hash.digest('hex')}`;
    callback(
      actual === diffId
        ? null
        : new LayerError(
            'DIFF_ID_MISMATCH',
            layer,
            `uncompressed digest ${actual} does not match diff_id ${diffId}`,
          ),
    );
  }
}

/** Counts bytes passing through (the compressed side of a layer). */
export class ByteCounter extends Transform {
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}
