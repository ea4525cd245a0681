import { isClearanceError } from '../core';
import { DigestMismatchError, SizeMismatchError } from '../image';
import type { Digest, LayerRef, PlatformImage } from '../image';
import type { ImageSource } from '../image';
import { LayerError, type LayerErrorCode } from './errors';
import type { LayerListing } from './listing';
import { toLayerError, walkLayer, type WalkOptions } from './walk';

/** One layer's outcome: its listing, or the error that stopped it. */
export type LayerResult =
  | { readonly ok: true; readonly layer: LayerRef; readonly listing: LayerListing }
  | { readonly ok: false; readonly layer: LayerRef; readonly error: LayerError };

export interface ReadLayersOptions extends Omit<WalkOptions, 'descriptor' | 'diffId' | 'onRead'> {
  /** Told each layer's compressed bytes as they are read, for a progress display. @default - none */
  readonly onProgress?: (progress: LayerProgress) => void;
}

/** How far the reading of an image's layers has got. */
export interface LayerProgress {
  readonly layer: Digest;
  /** The layer's place in the image, from 0, and the image's number of layers. */
  readonly index: number;
  readonly count: number;
  /** Compressed bytes read so far, and the blob's size as its descriptor says. */
  readonly bytesRead: number;
  readonly size: number;
}

/**
 * Reads an image's layers in order, one blob at a time. A layer that fails (corrupt, tampered,
 * over a limit, unreachable) is reported in its result and the next layer is still read.
 * Errors that are not Clearance's own (bugs) propagate.
 */
export async function readLayers(
  source: ImageSource,
  image: Pick<PlatformImage, 'layers'>,
  options: ReadLayersOptions = {},
): Promise<LayerResult[]> {
  const { onProgress, ...walkOptions } = options;
  const results: LayerResult[] = [];
  for (const [index, layer] of image.layers.entries()) {
    const { digest, size } = layer.descriptor;
    const count = image.layers.length;
    const told = (bytesRead: number) =>
      onProgress?.({ layer: digest, index, count, bytesRead, size });
    try {
      told(0);
      const blob = await source.openBlob(layer.descriptor);
      const listing = await walkLayer(blob, {
        ...walkOptions,
        descriptor: layer.descriptor,
        diffId: layer.diffId,
        ...(onProgress && { onRead: told }),
      });
      results.push({ ok: true, layer, listing });
    } catch (error) {
      if (!isClearanceError(error)) throw error;
      const layerError = await verifiedCause(
        source,
        layer,
        toLayerError(error, layer.descriptor.digest),
      );
      results.push({ ok: false, layer, error: layerError });
    }
  }
  return results;
}

/** Blobs read again, when their content failed, to learn whether they are what they claim. */
const MAX_REVERIFIED_BYTES = 512 * 1024 * 1024;

/** Codes that already say what is wrong, or that a digest cannot change. */
const SETTLED: ReadonlySet<LayerErrorCode> = new Set([
  'BLOB_MISMATCH',
  'DIFF_ID_MISMATCH',
  'UNSUPPORTED_LAYER_MEDIA_TYPE',
]);

/**
 * A layer's content failed before its blob's digest could be checked (a corrupt gzip fails at
 * the first bad block; the digest is known only at the end). A blob that is not what its
 * digest names was tampered with or damaged after it was pushed: that, not the symptom, is the
 * cause, and it makes the layer unverified rather than unreadable. So a blob up to 512 MiB is
 * read again whole through its verifying stream; a larger one keeps the error it stopped with.
 */
async function verifiedCause(
  source: ImageSource,
  layer: LayerRef,
  error: LayerError,
): Promise<LayerError> {
  if (error.kind !== 'input' || SETTLED.has(error.code)) return error;
  if (layer.descriptor.size > MAX_REVERIFIED_BYTES) return error;
  try {
    for await (const _ of await source.openBlob(layer.descriptor));
    return error;
  } catch (cause) {
    if (!(cause instanceof DigestMismatchError || cause instanceof SizeMismatchError)) return error;
    return new LayerError(
      'BLOB_MISMATCH',
      layer.descriptor.digest,
      `${cause.message} (reading it had stopped at: ${error.message.replace(/^layer \S+: /, '')})`,
      'input',
      { cause },
    );
  }
}
