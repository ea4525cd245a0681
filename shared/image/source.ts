import type { Readable } from 'node:stream';
import { verified, verifyBytes, type Digest } from './digest';
import { ManifestTooLargeError, SizeMismatchError } from './errors';
import { MAX_MANIFEST_BYTES, type Descriptor } from './manifest';

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

/**
 * A manifest named by `descriptor`, read by `read` (which must refuse more than `limit` bytes)
 * and checked against the descriptor's size and digest (the OCI spec requires both to match).
 */
export async function readManifest(
  descriptor: Descriptor,
  what: string,
  read: (limit: number) => Promise<Buffer>,
): Promise<ManifestBytes> {
  if (descriptor.size > MAX_MANIFEST_BYTES)
    throw new ManifestTooLargeError(what, MAX_MANIFEST_BYTES);
  const bytes = await read(MAX_MANIFEST_BYTES);
  verifyBytes(bytes, descriptor.digest, what);
  if (bytes.length !== descriptor.size)
    throw new SizeMismatchError(descriptor.size, bytes.length, what);
  return { digest: descriptor.digest, mediaType: descriptor.mediaType, bytes };
}

/** A blob's bytes, checked against its descriptor as they are read. */
export function verifiedBlob(
  stream: Readable,
  descriptor: Descriptor,
  reference: string,
): Readable {
  return verified(stream, {
    digest: descriptor.digest,
    size: descriptor.size,
    what: `blob ${descriptor.digest} in ${reference}`,
  });
}
