import { z } from 'zod';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../core';
import { describedBy, issueMessage } from '../core';
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
  const { mediaType, signatures } = Schema1Marks.parse(doc);
  const declared = mediaType ?? mediaTypeHint;
  const schema1 = declared !== undefined && DOCKER_SCHEMA1_MEDIA_TYPES.includes(declared);
  if (doc.schemaVersion !== 1 && !schema1) return;
  const signed = DOCKER_SCHEMA1_MEDIA_TYPES[signatures ? 1 : 0]!;
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
  const mediaType =
    checked(ManifestHeader, doc, what).mediaType ?? inferMediaType(doc, mediaTypeHint, what);
  refuseAmbiguous(doc, mediaType, mediaTypeHint, what);
  // What is returned is the document itself, checked: its unknown fields and key order are
  // kept (an index read here is written back by the layout writers).
  if (isIndexMediaType(mediaType)) {
    checked(IndexBody, doc, what);
    const { manifests } = doc as Pick<ImageIndex, 'manifests'>;
    return { kind: 'index', index: { ...doc, schemaVersion: 2, mediaType, manifests } };
  }
  if (isManifestMediaType(mediaType)) {
    checked(ManifestBody, doc, what);
    const { config, layers } = doc as Pick<ImageManifest, 'config' | 'layers'>;
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

/** Checks a descriptor (`field` names it in messages) and returns it as it is. */
export function parseDescriptor(value: unknown, what: string, field: string): Descriptor {
  const parsed = DescriptorSchema.safeParse(value);
  if (!parsed.success) throw new InvalidManifestError(what, issueMessage(parsed.error, field));
  return value as Descriptor;
}

export function parseJsonObject(bytes: Uint8Array, what: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (cause) {
    throw new InvalidManifestError(what, 'not valid JSON', { cause });
  }
  if (!JsonObject.safeParse(doc).success) throw new InvalidManifestError(what, 'not a JSON object');
  // Before any schema walks it: a recursive reader would overflow on the input it guards against.
  if (nestsDeeperThan(doc, MAX_JSON_DEPTH))
    throw new InvalidManifestError(what, `nests deeper than ${MAX_JSON_DEPTH} levels`);
  return doc as Record<string, unknown>;
}

function inferMediaType(
  doc: Record<string, unknown>,
  hint: string | undefined,
  what: string,
): string {
  if (hint !== undefined && hint !== '' && !hint.startsWith('application/json')) return hint;
  if (IndexShape.safeParse(doc).success) return MediaType.ociIndex;
  if (ManifestShape.safeParse(doc).success) return MediaType.ociManifest;
  throw new InvalidManifestError(what, 'has no mediaType and is neither a manifest nor an index');
}

/** Parses `value` with `schema`, or throws the first issue as `<field> <problem>`. */
function checked<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InvalidManifestError(what, issueMessage(parsed.error));
  return parsed.data;
}

/*
 * The schemas, whose keys are listed in the order they are checked: the first issue is the one
 * reported, as `<field> <problem>` (`manifests[2].digest "x" is not a digest`). Only whether a
 * document passes is used, never zod's copy of it (see parseManifest).
 */

/** Any JSON object (not an array); its keys are not walked. */
const JsonObject = z.object({});
/** What marks Docker schema 1: the media type a document declares, and JWS signatures. */
const Schema1Marks = z
  .object({
    mediaType: z.string().optional().catch(undefined),
    signatures: z.array(z.unknown()).optional().catch(undefined),
  })
  .catch({});
const ManifestHeader = z.object({
  schemaVersion: z.literal(
    2,
    describedBy(() => 'must be 2'),
  ),
  mediaType: z.string({ message: 'is not a string' }).optional(),
});
/** The shapes a document without a media type is recognised by. */
const IndexShape = z.object({ manifests: z.array(z.unknown()) });
const ManifestShape = z.object({ config: z.object({}), layers: z.array(z.unknown()) });

const notADigest = (digest: unknown) => `${JSON.stringify(digest)} is not a digest`;
const DescriptorSchema = z.object(
  {
    mediaType: z.string({ message: 'is missing' }),
    digest: z
      .string(describedBy(notADigest))
      .refine(isDigest, (digest) => ({ message: notADigest(digest) })),
    size: z
      .number(describedBy((size) => `${JSON.stringify(size)} is not a byte count`))
      .int()
      .nonnegative()
      .safe(),
  },
  { message: 'is not an object' },
);
const IndexBody = z.object({
  manifests: z.array(DescriptorSchema, { message: 'is not an array' }),
});
const ManifestBody = z.object({
  config: DescriptorSchema,
  layers: z.array(DescriptorSchema, { message: 'is not an array' }),
});
