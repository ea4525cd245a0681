import { MAX_JSON_DEPTH, nestsDeeperThan } from '../core/json-depth';
import { isObject } from '../core/json';
import { isDigest, type Digest } from './digest';
import {
  DockerSchema1ManifestError,
  InvalidManifestError,
  UnsupportedMediaTypeError,
} from './errors';
import {
  DOCKER_SCHEMA1_MEDIA_TYPES,
  isIndexMediaType,
  isManifestMediaType,
  MediaType,
} from './media-types';

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
 * Throws DockerSchema1ManifestError when the document is Docker schema 1, by its version or by the
 * media type it declares (else the one it is named by).
 */
export function refuseSchema1(
  doc: Record<string, unknown>,
  mediaTypeHint: string | undefined,
  what: string,
): void {
  const declared = typeof doc.mediaType === 'string' ? doc.mediaType : mediaTypeHint;
  const schema1 = declared !== undefined && DOCKER_SCHEMA1_MEDIA_TYPES.includes(declared);
  if (doc.schemaVersion !== 1 && !schema1) return;
  const signed = DOCKER_SCHEMA1_MEDIA_TYPES[Array.isArray(doc.signatures) ? 1 : 0]!;
  throw new DockerSchema1ManifestError(schema1 ? declared : signed, what);
}

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
  refuseSchema1(doc, mediaTypeHint, what);
  if (doc.schemaVersion !== 2) throw new InvalidManifestError(what, 'schemaVersion must be 2');
  const mediaType =
    stringOr(doc.mediaType, what, 'mediaType') ?? inferMediaType(doc, mediaTypeHint, what);
  refuseAmbiguous(doc, mediaType, mediaTypeHint, what);
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

/**
 * A document that reads as a manifest and as an index, or whose type is not the one that named
 * it, could be taken for one by a scanner and run as the other (the OCI manifest type
 * confusion, CVE-2021-41190): an index has no `config` or `layers`, a manifest no `manifests`,
 * and an index descriptor names no manifest (nor the converse).
 */
function refuseAmbiguous(
  doc: Record<string, unknown>,
  mediaType: string,
  hint: string | undefined,
  what: string,
): void {
  const index = isIndexMediaType(mediaType);
  const manifest = isManifestMediaType(mediaType);
  if (index && (doc.config !== undefined || doc.layers !== undefined))
    throw new InvalidManifestError(
      what,
      'is an index with config or layers (ambiguous, CVE-2021-41190)',
    );
  if (manifest && doc.manifests !== undefined)
    throw new InvalidManifestError(
      what,
      'is a manifest with manifests (ambiguous, CVE-2021-41190)',
    );
  if (hint === undefined) return;
  if ((index && isManifestMediaType(hint)) || (manifest && isIndexMediaType(hint)))
    throw new InvalidManifestError(what, `is ${mediaType}, but was named as ${hint}`);
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
  if (nestsDeeperThan(doc, MAX_JSON_DEPTH))
    throw new InvalidManifestError(what, `nests deeper than ${MAX_JSON_DEPTH} levels`);
  return doc;
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
