import type { Readable } from 'node:stream';
import type { Digest } from './digest';
import { ManifestTooLargeError } from './errors';
import type { Descriptor } from './manifest';

/** Manifest or index bytes exactly as stored (re-serialising would change the digest). */
export interface ManifestBytes {
  readonly digest: Digest;
  readonly mediaType: string;
  readonly bytes: Buffer;
}

/**
 * Where an image's manifests and blobs are read from: a registry, an OCI layout, a docker
 * archive. Every implementation verifies what it returns against the digest that names it.
 */
export interface ImageSource {
  /** The canonical reference, for messages and reports. */
  readonly reference: string;
  /** The manifest or index the reference names. */
  resolveRoot(): Promise<ManifestBytes>;
  /** A manifest named by a descriptor of an index. */
  fetchManifest(descriptor: Descriptor): Promise<ManifestBytes>;
  /**
   * A blob's bytes as a stream. The stream fails with `DigestMismatchError` or
   * `SizeMismatchError` when what was read does not match the descriptor.
   */
  openBlob(descriptor: Descriptor): Promise<Readable>;
  /** Releases file handles and connections. */
  close(): Promise<void>;
}

/** Reads a small blob (a config) whole, refusing more than `limit` bytes before reading it. */
export async function readBlob(
  source: ImageSource,
  descriptor: Descriptor,
  limit: number,
  what: string,
): Promise<Buffer> {
  if (descriptor.size > limit) throw new ManifestTooLargeError(what, limit);
  const chunks: Buffer[] = [];
  for await (const chunk of await source.openBlob(descriptor)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
