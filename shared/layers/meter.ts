import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { Digest } from '../image';
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
 *
 * It is a pipeline stage that pulls from the decompressor rather than a Transform it pushes into:
 * zlib then starts inflating the next chunk while this one is hashed and parsed, instead of
 * waiting for both (about 15% more throughput on two cores; bench/layer-throughput.ts).
 */
export class UncompressedMeter {
  private count = 0;

  constructor(private readonly options: MeterOptions) {}

  get bytes(): number {
    return this.count;
  }

  async *measure(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    const { diffId, layer } = this.options;
    const hash = diffId === undefined ? undefined : createHash('sha256');
    for await (const chunk of source) {
      this.count += chunk.length;
      this.checkLimits();
      hash?.update(chunk);
      yield chunk;
    }
    if (hash === undefined) return;
    const actual = `sha256:${hash.digest('hex')}`;
    if (actual !== diffId) {
      throw new LayerError(
        'DIFF_ID_MISMATCH',
        layer,
        `uncompressed digest ${actual} does not match diff_id ${diffId}`,
      );
    }
  }

  private checkLimits(): void {
    const { limits, layer, compressedBytes } = this.options;
    if (this.count > limits.maxLayerBytes) {
      throw new LayerLimitError(layer, 'maxLayerBytes', limits.maxLayerBytes);
    }
    if (
      this.count > limits.ratioCheckAfterBytes &&
      this.count / Math.max(1, compressedBytes()) > limits.maxCompressionRatio
    ) {
      throw new LayerLimitError(layer, 'maxCompressionRatio', limits.maxCompressionRatio);
    }
  }
}

/** Counts bytes passing through (the compressed side of a layer), telling `onRead` each time. */
export class ByteCounter extends Transform {
  bytes = 0;

  constructor(private readonly onRead?: (bytes: number) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    this.onRead?.(this.bytes);
    callback(null, chunk);
  }
}
