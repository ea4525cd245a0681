import { isClearanceError } from '../core/errors';
import type { LayerRef, PlatformImage } from '../image/resolve';
import type { ImageSource } from '../image/source';
import { LayerError } from './errors';
import type { LayerListing } from './listing';
import { walkLayer, type WalkOptions } from './walk';

/** One layer's outcome: its listing, or the error that stopped it. */
export type LayerResult =
  | { readonly ok: true; readonly layer: LayerRef; readonly listing: LayerListing }
  | { readonly ok: false; readonly layer: LayerRef; readonly error: LayerError };

export type ReadLayersOptions = Omit<WalkOptions, 'descriptor' | 'diffId'>;

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
  const results: LayerResult[] = [];
  for (const layer of image.layers) {
    try {
      const blob = await source.openBlob(layer.descriptor);
      const listing = await walkLayer(blob, {
        ...options,
        descriptor: layer.descriptor,
        diffId: layer.diffId,
      });
      results.push({ ok: true, layer, listing });
    } catch (error) {
      if (!isClearanceError(error)) throw error;
      const layerError =
        error instanceof LayerError
          ? error
          : new LayerError('LAYER_UNREADABLE', layer.descriptor.digest, error.message, error.kind, {
              cause: error,
            });
      results.push({ ok: false, layer, error: layerError });
    }
  }
  return results;
}
