/** Bounds on what one layer may cost. Hitting one fails the layer with `LayerLimitError`. */
export interface LayerLimits {
  /** Uncompressed bytes in one layer. @default 64 GiB */
  readonly maxLayerBytes: number;
  /** Tar entries in one layer. @default 2,000,000 */
  readonly maxEntries: number;
  /** Bytes of one selected file handed to a consumer; the rest is skipped and flagged. @default 32 MiB */
  readonly maxFileBytes: number;
  /**
   * A file delivered by `ranges` (binaries) larger than this is streamed to a temporary file,
   * deleted once read, instead of being held in memory; such files are never cut. @default 4 MiB
   */
  readonly spillAboveBytes: number;
  /**
   * Uncompressed ÷ compressed bytes, checked once the output passes `ratioCheckAfterBytes`
   * (a decompression bomb). Real layers stay under 20; a sparse file may reach a few hundred.
   * @default 1000
   */
  readonly maxCompressionRatio: number;
  /** Output size from which the ratio is checked. @default 256 MiB */
  readonly ratioCheckAfterBytes: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const DEFAULT_LAYER_LIMITS: LayerLimits = {
  maxLayerBytes: 64 * GiB,
  maxEntries: 2_000_000,
  maxFileBytes: 32 * MiB,
  spillAboveBytes: 4 * MiB,
  maxCompressionRatio: 1000,
  ratioCheckAfterBytes: 256 * MiB,
};

export function layerLimits(overrides: Partial<LayerLimits> = {}): LayerLimits {
  return { ...DEFAULT_LAYER_LIMITS, ...overrides };
}
