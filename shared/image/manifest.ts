import { isDigest, type Digest } from './digest';
import { InvalidManifestError, UnsupportedMediaTypeError } from './errors';
import { isIndexMediaType, isManifestMediaType, MediaType } from './media-types';

/** Limit on any manifest or index we read: registries cap them at 4 MiB too. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** Limit on an image config blob; real ones are a few KiB, the largest seen a few hundred. */
export const MAX_CONFIG_BYTES = 8 * 1024 * 1024;

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
  readonly 'os.version'?: string;
}

/** An OCI content descriptor. */
export interface Descriptor {
  readonly mediaType: string;
  readonly digest: Digest;
  readonly size: number;
  readonly urls?: readonly string[];
  readonly annotations?: Readonly<Record<string, string>>;
  readonly platform?: Platform;
  readonly artifactType?: string;
}

export interface ImageIndex {
  readonly schemaVersion: 2;
  readonly mediaType: string;
  readonly manifests: readonly Descriptor[];
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ImageManifest {
  readonly schemaVersion: 2;
  readonly mediaType: string;
  readonly artifactType?: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
  readonly subject?: Descriptor;
  readonly annotations?: Readonly<Record<string, string>>;
}

export type ParsedManifest =
  | { readonly kind: 'index'; readonly index: ImageIndex }
  | { readonly kind: 'manifest'; readonly manifest: ImageManifest };

/**
 * Parses manifest or index bytes. The media type comes from the document, else from the
 * transport (`Content-Type` or the descriptor), else from its shape, as the OCI spec allows.
 */
export function parseManifest(
  bytes: Uint8Array,
  mediaTypeHint: string | undefined,
  what: string,
): ParsedManifest {
  const doc = parseJsonObject(bytes, what);
  if (doc.schemaVersion === 1) {
    throw new UnsupportedMediaTypeError(
      'application/vnd.docker.distribution.manifest.v1+json',
      what,
    );
  }
  if (doc.schemaVersion !== 2) throw new InvalidManifestError(what, 'schemaVersion must be 2');
  const mediaType =
    stringOr(doc.mediaType, what, 'mediaType') ?? inferMediaType(doc, mediaTypeHint, what);
  if (isIndexMediaType(mediaType)) {
    const manifests = arrayOf(doc.manifests, what, 'manifests').map((d, i) =>
      parseDescriptor(d, what, `manifests[${i}]`),
    );
    return { kind: 'index', index: { ...doc, schemaVersion: 2, mediaType, manifests } };
  }
  if (isManifestMediaType(mediaType)) {
    const config = parseDescriptor(doc.config, what, 'config');
    const layers = arrayOf(doc.layers, what, 'layers').map((d, i) =>
      parseDescriptor(d, what, `layers[${i}]`),
    );
    return { kind: 'manifest', manifest: { ...doc, schemaVersion: 2, mediaType, config, layers } };
  }
  throw new UnsupportedMediaTypeError(mediaType, what);
}

export function parseDescriptor(value: unknown, what: string, field: string): Descriptor {
  if (!isObject(value)) throw new InvalidManifestError(what, `${field} is not an object`);
  const { mediaType, digest, size } = value;
  if (typeof mediaType !== 'string')
    throw new InvalidManifestError(what, `${field}.mediaType is missing`);
  if (typeof digest !== 'string' || !isDigest(digest)) {
    throw new InvalidManifestError(
      what,
      `${field}.digest ${JSON.stringify(digest)} is not a digest`,
    );
  }
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new InvalidManifestError(
      what,
      `${field}.size ${JSON.stringify(size)} is not a byte count`,
    );
  }
  return value as unknown as Descriptor;
}

export function parseJsonObject(bytes: Uint8Array, what: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (cause) {
    throw new InvalidManifestError(what, 'not valid JSON', { cause });
  }
  if (!isObject(doc)) throw new InvalidManifestError(what, 'not a JSON object');
  return doc;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function inferMediaType(
  doc: Record<string, unknown>,
  hint: string | undefined,
  what: string,
): string {
  if (hint !== undefined && hint !== '' && !hint.startsWith('application/json')) return hint;
  if (Array.isArray(doc.manifests)) return MediaType.ociIndex;
  if (isObject(doc.config) && Array.isArray(doc.layers)) return MediaType.ociManifest;
  throw new InvalidManifestError(what, 'has no mediaType and is neither a manifest nor an index');
}

function stringOr(value: unknown, what: string, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new InvalidManifestError(what, `${field} is not a string`);
  return value;
}

function arrayOf(value: unknown, what: string, field: string): unknown[] {
  if (!Array.isArray(value)) throw new InvalidManifestError(what, `${field} is not an array`);
  return value;
}
