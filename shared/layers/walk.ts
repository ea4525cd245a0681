import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract } from 'tar-stream';
import { isClearanceError } from '../core';
import type { Digest } from '../image';
import { DigestMismatchError, SizeMismatchError } from '../image';
import type { Descriptor } from '../image';
import {
  compressionOfMediaType,
  createDecompressor,
  peek,
  sniffCompression,
  type Compression,
} from './compression';
import { LayerError } from './errors';
import { layerLimits } from './limits';
import type { LayerListing } from './listing';
import { ByteCounter, UncompressedMeter } from './meter';
import { readEntries } from './tar-entries';
import type { WalkOptions } from './walk-options';

export type { WalkOptions };

const SNIFF_BYTES = 4;

/**
 * Streams one layer blob: decompresses it, walks its tar, reads only the selected files, and
 * checks the diff_id and the limits as it goes. Memory stays bounded whatever the layer size.
 * Fails with a {@link LayerError} naming the layer when the layer cannot be read to the end.
 */
export async function walkLayer(blob: Readable, options: WalkOptions): Promise<LayerListing> {
  const layer = options.descriptor.digest;
  const limits = layerLimits(options.limits);
  try {
    const compression = await decideCompression(blob, options.descriptor);
    const counter = new ByteCounter(options.onRead);
    // An uncompressed blob already verified against its digest need not be hashed twice.
    const diffId = compression === 'none' && options.diffId === layer ? undefined : options.diffId;
    const meter = new UncompressedMeter({
      layer,
      limits,
      diffId,
      compressedBytes: () => counter.bytes,
    });
    const tar = extract();
    const measure = (source: AsyncIterable<Buffer>) => meter.measure(source);
    // The array form of pipeline takes a generator stage too; its type lists only streams.
    const piped = pipeline([
      blob,
      counter,
      ...createDecompressor(compression, layer),
      measure as unknown as NodeJS.ReadWriteStream,
      tar as unknown as NodeJS.WritableStream,
    ]);
    const walked = readEntries(tar, { ...options, limits });
    const [pipe, walk] = await Promise.allSettled([piped, walked]);
    if (pipe.status === 'fulfilled' && walk.status === 'fulfilled') {
      return {
        digest: layer,
        diffId: options.diffId,
        compression,
        compressedBytes: counter.bytes,
        uncompressedBytes: meter.bytes,
        ...walk.value,
      };
    }
    // A failed walk (a limit, a consumer's error) stops the pipe, which then fails with a mere
    // "premature close"; otherwise the pipe's error is the cause (a corrupt gzip reaches the tar
    // as a truncation).
    const walkError: unknown = walk.status === 'rejected' ? walk.reason : undefined;
    const pipeError: unknown = pipe.status === 'rejected' ? pipe.reason : undefined;
    const closedByWalk =
      (pipeError as NodeJS.ErrnoException | undefined)?.code === 'ERR_STREAM_PREMATURE_CLOSE';
    const walkFirst = walkError instanceof LayerError || pipeError === undefined || closedByWalk;
    throw walkFirst && walkError !== undefined ? walkError : pipeError;
  } catch (error) {
    blob.destroy();
    throw toLayerError(error, layer);
  }
}

async function decideCompression(blob: Readable, descriptor: Descriptor): Promise<Compression> {
  const declared = compressionOfMediaType(descriptor.mediaType);
  if (declared === undefined) {
    throw new LayerError(
      'UNSUPPORTED_LAYER_MEDIA_TYPE',
      descriptor.digest,
      `media type "${descriptor.mediaType}" is not a layer this engine can read (gzip, zstd or plain tar)`,
    );
  }
  if (declared !== 'sniff') return declared;
  return sniffCompression(await peek(blob, SNIFF_BYTES));
}

/** zlib's codes (`Z_DATA_ERROR`), zstd's (`ZSTD_error_corruption_detected`) and Node's own. */
const ZLIB_ERROR = /^Z_|^ZSTD_error|^ERR_ZSTD|ERR__?ZLIB/;
const TAR_ERROR = /tar header|Unexpected end of data|Header exceeds max size|Invalid header/i;

/** Maps whatever stopped the walk to a {@link LayerError} that names the layer. */
export function toLayerError(error: unknown, layer: Digest): LayerError {
  if (error instanceof LayerError) return error;
  const cause = error as NodeJS.ErrnoException;
  const message = cause?.message ?? String(error);
  if (error instanceof DigestMismatchError || error instanceof SizeMismatchError)
    return new LayerError('BLOB_MISMATCH', layer, message, 'input', { cause });
  if (typeof cause?.code === 'string' && ZLIB_ERROR.test(cause.code)) {
    return new LayerError('CORRUPT_COMPRESSION', layer, `cannot decompress: ${message}`, 'input', {
      cause,
    });
  }
  if (TAR_ERROR.test(message))
    return new LayerError('CORRUPT_TAR', layer, `malformed tar: ${message}`, 'input', { cause });
  const kind = isClearanceError(error) ? error.kind : 'transient';
  return new LayerError('LAYER_UNREADABLE', layer, message, kind, { cause });
}
