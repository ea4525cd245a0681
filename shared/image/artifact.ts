import {
  ARTIFACT_LABELS,
  otherArtifactLabel,
  type ArtifactDescription,
  type ArtifactKind,
} from './artifact-kinds';
import {
  DSSE_ENVELOPE_MEDIA_TYPE,
  IMAGE_CONFIG_MEDIA_TYPES,
  PREDICATE_ANNOTATIONS,
  annotated,
  isImageManifest,
  kindOfManifest,
  kindOfMediaType,
} from './artifact-rules';
import {
  DIGEST_TAG,
  hintedSubject,
  predicateTypeOf,
  referenceDigest,
  subjectOf,
  tagSubject,
  type ClassifyHints,
} from './artifact-subject';
import { InvalidManifestError } from './errors';
import { isObject } from '../core';
import {
  parseDescriptor,
  parseJsonObject,
  parseManifest,
  refuseSchema1,
  type Descriptor,
  type ImageIndex,
  type ImageManifest,
} from './manifest';
import {
  MediaType,
  OCI_ARTIFACT_MANIFEST_MEDIA_TYPE,
  isIndexMediaType,
  isManifestMediaType,
} from './media-types';
import { isAttestationManifest } from './platform';

export {
  describeArtifact,
  withArticle,
  type ArtifactDescription,
  type ArtifactKind,
} from './artifact-kinds';

/** The in-toto predicate type of a Clearance verdict, version 1 of its shape (shared/attest signs it). */
export const VERDICT_PREDICATE_TYPE = 'https://clearance.dev/verdict/v1';

export type { ClassifyHints } from './artifact-subject';

export type Classified =
  | { readonly kind: 'image'; readonly manifest: ImageManifest }
  | { readonly kind: 'index'; readonly index: ImageIndex }
  | { readonly kind: 'artifact'; readonly artifact: ArtifactDescription };

/**
 * Classifies manifest/index bytes (as read, digest already verified). Never reads blobs. An image
 * is positively one: an image manifest whose config is an image config and whose layers are all
 * filesystem layers, with nothing that signs or attests; anything else is an artifact.
 * Throws InvalidManifestError for bytes that are no manifest, DockerSchema1ManifestError for schema 1.
 */
export function classifyManifest(
  bytes: Uint8Array,
  mediaTypeHint: string | undefined,
  what: string,
  hints: ClassifyHints = {},
): Classified {
  const doc = parseJsonObject(bytes, what);
  refuseSchema1(doc, mediaTypeHint, what);
  const mediaType = mediaTypeOf(doc, mediaTypeHint, what);
  if (mediaType === OCI_ARTIFACT_MANIFEST_MEDIA_TYPE) return artifactManifest(doc, what, hints);
  if (!isIndexMediaType(mediaType) && !isManifestMediaType(mediaType)) {
    const artifactType = nonEmpty(stringField(doc, 'artifactType', what));
    const fields = { mediaType, artifactType, layerMediaTypes: [], subject: hintedSubject(hints) };
    return artifact(describe('oci-artifact', fields));
  }
  // The transport's type, not the document's: a document named as the other kind is refused.
  const named =
    mediaTypeHint !== undefined &&
    (isIndexMediaType(mediaTypeHint) || isManifestMediaType(mediaTypeHint));
  const parsed = parseManifest(bytes, named ? mediaTypeHint : mediaType, what);
  if (parsed.kind === 'index') return classifyIndex(parsed.index, what, hints);
  return classifyImageManifest(parsed.manifest, what, hints);
}

/** An index entry that is an artifact without fetching it (BuildKit attestation-manifest annotation / unknown/unknown platform, or an artifactType on the descriptor that is not an image's); else undefined. */
export function artifactOfDescriptor(descriptor: Descriptor): ArtifactDescription | undefined {
  const { artifactType, mediaType } = descriptor;
  const predicateType = annotated(descriptor.annotations, PREDICATE_ANNOTATIONS);
  const common = { mediaType, artifactType, layerMediaTypes: [], predicateType };
  if (isAttestationManifest(descriptor)) {
    return describe('buildkit-attestation', { ...common, subject: referenceDigest(descriptor) });
  }
  const typed =
    artifactType !== undefined &&
    artifactType !== '' &&
    !IMAGE_CONFIG_MEDIA_TYPES.has(artifactType);
  if (!typed && mediaType !== OCI_ARTIFACT_MANIFEST_MEDIA_TYPE) return undefined;
  const dsse = artifactType === DSSE_ENVELOPE_MEDIA_TYPE;
  if (dsse && predicateType === VERDICT_PREDICATE_TYPE)
    return describe('clearance-verdict', common);
  return describe(kindOfMediaType(artifactType ?? '') ?? 'oci-artifact', common);
}

function classifyIndex(index: ImageIndex, what: string, hints: ClassifyHints): Classified {
  const artifactType = stringField(index, 'artifactType', what);
  // distribution-spec "Referrers Tag Schema": the index of a digest's referrers, tagged <alg>-<hex>.
  const suffixed = DIGEST_TAG.exec(hints.tag ?? '')?.[3] !== undefined;
  const referrersIndex = !suffixed && tagSubject(hints) !== undefined;
  if (artifactType === undefined && !referrersIndex) return { kind: 'index', index };
  const subject = subjectOf(index, what, hints);
  const fields = { mediaType: index.mediaType, artifactType, layerMediaTypes: [], subject };
  if (artifactType === undefined)
    return artifact(describe('oci-artifact', fields, 'OCI referrers index'));
  return artifact(describe(kindOfMediaType(artifactType) ?? 'oci-artifact', fields));
}

function classifyImageManifest(m: ImageManifest, what: string, hints: ClassifyHints): Classified {
  const fromDescriptor = hints.descriptor && artifactOfDescriptor(hints.descriptor);
  const artifactType =
    nonEmpty(stringField(m, 'artifactType', what)) ?? nonEmpty(hints.descriptor?.artifactType);
  if (fromDescriptor === undefined && isImageManifest(m, artifactType))
    return { kind: 'image', manifest: m };
  const configMediaType = m.config.mediaType;
  const layerMediaTypes = [...new Set(m.layers.map((l) => l.mediaType))];
  const fields = {
    mediaType: m.mediaType,
    artifactType:
      artifactType ?? (IMAGE_OR_EMPTY.has(configMediaType) ? undefined : configMediaType),
    configMediaType,
    layerMediaTypes,
    subject: subjectOf(m, what, hints),
    predicateType: predicateTypeOf(m, hints.descriptor),
  };
  const kind =
    fromDescriptor?.kind === 'buildkit-attestation'
      ? fromDescriptor.kind
      : kindOf(m, artifactType, fields.predicateType);
  return artifact(describe(kind, fields));
}

/** A Clearance verdict by its predicate type on a DSSE envelope, else by the manifest's shape. */
function kindOf(
  m: ImageManifest,
  artifactType: string | undefined,
  predicateType: string | undefined,
): ArtifactKind {
  const types = [artifactType, ...m.layers.map((l) => l.mediaType)];
  const dsse = types.includes(DSSE_ENVELOPE_MEDIA_TYPE);
  if (dsse && predicateType === VERDICT_PREDICATE_TYPE) return 'clearance-verdict';
  return kindOfManifest(m, artifactType);
}

/** Config types that are no artifact type: an image's, and the empty descriptor of OCI 1.1. */
const IMAGE_OR_EMPTY: ReadonlySet<string> = new Set([
  ...IMAGE_CONFIG_MEDIA_TYPES,
  MediaType.ociEmpty,
]);

/** The withdrawn OCI artifact manifest: `blobs` for layers, no config, no schemaVersion. */
function artifactManifest(
  doc: Record<string, unknown>,
  what: string,
  hints: ClassifyHints,
): Classified {
  const artifactType = stringField(doc, 'artifactType', what);
  const blobs = doc.blobs === undefined ? [] : doc.blobs;
  if (!Array.isArray(blobs)) throw new InvalidManifestError(what, 'blobs is not an array');
  const layerMediaTypes = [
    ...new Set(blobs.map((b, i) => parseDescriptor(b, what, `blobs[${i}]`).mediaType)),
  ];
  const kind = artifactType === undefined ? undefined : kindOfMediaType(artifactType);
  const subject = subjectOf(doc, what, hints);
  const mediaType = OCI_ARTIFACT_MANIFEST_MEDIA_TYPE;
  return artifact(
    describe(kind ?? 'oci-artifact', { mediaType, artifactType, layerMediaTypes, subject }),
  );
}

function artifact(description: ArtifactDescription): Classified {
  return { kind: 'artifact', artifact: description };
}

/** The description of `kind`, labelled, without the fields that are undefined. */
function describe(
  kind: ArtifactKind,
  fields: Omit<ArtifactDescription, 'kind' | 'label'>,
  label?: string,
): ArtifactDescription {
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  const types = [fields.artifactType, fields.configMediaType, ...fields.layerMediaTypes];
  const known = types.filter((t): t is string => t !== undefined);
  const named =
    label ?? (kind === 'oci-artifact' ? otherArtifactLabel(known) : ARTIFACT_LABELS[kind]);
  return { kind, label: named, ...(defined as typeof fields) };
}

function mediaTypeOf(doc: Record<string, unknown>, hint: string | undefined, what: string): string {
  const own = stringField(doc, 'mediaType', what);
  if (own !== undefined && own !== '') return own;
  if (hint !== undefined && hint !== '' && !hint.startsWith('application/json')) return hint;
  if (Array.isArray(doc.manifests)) return MediaType.ociIndex;
  if (isObject(doc.config) && Array.isArray(doc.layers)) return MediaType.ociManifest;
  throw new InvalidManifestError(what, 'has no mediaType and is neither a manifest nor an index');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

function stringField(doc: object, field: string, what: string): string | undefined {
  const value = (doc as Record<string, unknown>)[field];
  if (value === undefined || typeof value === 'string') return value;
  throw new InvalidManifestError(what, `${field} is not a string`);
}
