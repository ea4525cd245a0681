import type { Digest } from './digest';
import { artifactOfDescriptor, classifyManifest, type ArtifactDescription } from './artifact';
import { ARTIFACT_LABELS } from './artifact-kinds';
import { parseImageConfig, type ImageConfig } from './config';
import { InvalidManifestError, NoMatchingPlatformError, NotAnImageError } from './errors';
import {
  MAX_CONFIG_BYTES,
  type Descriptor,
  type ImageIndex,
  type ImageManifest,
  type Platform,
} from './manifest';
import { formatPlatform, platformMatches } from './platform';
import { parseImageReference } from './reference';
import { readBlob, type ImageSource } from './source';

/** One layer of a platform image: its blob descriptor and the digest of its uncompressed tar. */
export interface LayerRef {
  readonly descriptor: Descriptor;
  readonly diffId: Digest;
}

/** One runnable image: a manifest for one platform, its config and its layers in order. */
export interface PlatformImage {
  readonly platform: string;
  readonly digest: Digest;
  readonly mediaType: string;
  readonly manifest: ImageManifest;
  readonly configDescriptor: Descriptor;
  readonly config: ImageConfig;
  readonly layers: readonly LayerRef[];
}

/** What a reference resolves to: the root (manifest or index) and its platform images. */
export interface ResolvedImage {
  readonly reference: string;
  readonly digest: Digest;
  readonly mediaType: string;
  readonly manifests: readonly PlatformImage[];
  /** Entries of an index that are not images (attestations, signatures, SBOMs), left out. */
  readonly skipped: readonly SkippedManifest[];
}

/** An index entry that is not an image, and what it is. */
export interface SkippedManifest {
  readonly digest: Digest;
  readonly artifact: ArtifactDescription;
}

/** What a reference names: an image (one platform or several), or an artifact that is not one. */
export type ResolvedRoot =
  | { readonly kind: 'image'; readonly image: ResolvedImage }
  | {
      readonly kind: 'artifact';
      readonly reference: string;
      readonly digest: Digest;
      readonly artifact: ArtifactDescription;
    };

export interface ResolveOptions {
  /** Keep only this platform; all platforms when absent. */
  readonly platform?: Platform;
}

/**
 * Resolves a source's root to its platform images: an index is walked to its platform manifests
 * (attestations, signatures and other artifacts listed in it skipped), and each manifest's
 * config is read and checked against it. Anything that is not an image (a signature, an SBOM, a
 * Helm chart, an index of artifacts only) is a `NotAnImageError`.
 */
export async function resolveImage(
  source: ImageSource,
  options: ResolveOptions = {},
): Promise<ResolvedImage> {
  const root = await resolveImageOrArtifact(source, options);
  if (root.kind === 'artifact') throw new NotAnImageError(root.artifact, source.reference);
  return root.image;
}

/**
 * What the source's root is: an image, resolved as {@link resolveImage} does, or an artifact
 * described without reading any blob (`inspect` describes one; the pipeline records and skips it).
 */
export async function resolveImageOrArtifact(
  source: ImageSource,
  options: ResolveOptions = {},
): Promise<ResolvedRoot> {
  const root = await source.resolveRoot();
  const what = `manifest ${root.digest} of ${source.reference}`;
  const classified = classifyManifest(root.bytes, root.mediaType, what, tagOf(source));
  const base = { reference: source.reference, digest: root.digest };
  if (classified.kind === 'artifact')
    return { kind: 'artifact', ...base, artifact: classified.artifact };
  if (classified.kind === 'image') {
    const image = await loadPlatformImage(source, root.digest, classified.manifest);
    if (image.platform === UNKNOWN_PLATFORM)
      return { kind: 'artifact', ...base, artifact: attestationOf(classified.manifest) };
    if (options.platform && !platformMatches(options.platform, platformOf(image.config))) {
      throw new NoMatchingPlatformError(formatPlatform(options.platform), [image.platform]);
    }
    const mediaType = classified.manifest.mediaType;
    return { kind: 'image', image: { ...base, mediaType, manifests: [image], skipped: [] } };
  }
  return indexOf(source, base, classified.index, options);
}

/** An index's platform images, its artifact entries skipped; only artifacts is no image at all. */
async function indexOf(
  source: ImageSource,
  base: { readonly reference: string; readonly digest: Digest },
  index: ImageIndex,
  options: ResolveOptions,
): Promise<ResolvedRoot> {
  const skipped: SkippedManifest[] = [];
  const candidates: Descriptor[] = [];
  for (const descriptor of index.manifests) {
    const artifact = artifactOfDescriptor(descriptor);
    if (artifact === undefined) candidates.push(descriptor);
    else skipped.push({ digest: descriptor.digest, artifact });
  }
  const chosen = options.platform
    ? candidates.filter((d) => platformMatches(options.platform!, d.platform))
    : candidates;
  if (chosen.length === 0 && candidates.length > 0)
    throw new NoMatchingPlatformError(
      formatPlatform(options.platform),
      candidates.map((d) => formatPlatform(d.platform)),
    );
  const manifests: PlatformImage[] = [];
  for (const descriptor of chosen) {
    const child = await source.fetchManifest(descriptor);
    const what = `manifest ${descriptor.digest} of ${source.reference}`;
    const classified = classifyManifest(child.bytes, descriptor.mediaType, what, { descriptor });
    if (classified.kind === 'index')
      throw new InvalidManifestError(what, 'nested indexes are not supported');
    if (classified.kind === 'artifact')
      skipped.push({ digest: descriptor.digest, artifact: classified.artifact });
    else manifests.push(await loadPlatformImage(source, descriptor.digest, classified.manifest));
  }
  if (manifests.length === 0)
    return { kind: 'artifact', ...base, artifact: artifactsOnly(index, skipped) };
  return { kind: 'image', image: { ...base, mediaType: index.mediaType, manifests, skipped } };
}

/**
 * The platform BuildKit gives the attestation manifests it lists beside an image's platforms:
 * no image runs on it, so a manifest of it read on its own is that attestation, whatever its
 * layers are.
 */
const UNKNOWN_PLATFORM = 'unknown/unknown';

function attestationOf(manifest: ImageManifest): ArtifactDescription {
  return {
    kind: 'buildkit-attestation',
    label: ARTIFACT_LABELS['buildkit-attestation'],
    mediaType: manifest.mediaType,
    configMediaType: manifest.config.mediaType,
    layerMediaTypes: [...new Set(manifest.layers.map((l) => l.mediaType))],
  };
}

/** An index none of whose entries is an image: an artifact itself, named by what it lists. */
function artifactsOnly(
  index: ImageIndex,
  skipped: readonly SkippedManifest[],
): ArtifactDescription {
  const kinds = [...new Set(skipped.map((s) => s.artifact.label))];
  return {
    kind: 'oci-artifact',
    label: `index of ${kinds.length === 0 ? 'nothing' : kinds.join(', ')}`,
    mediaType: index.mediaType,
    layerMediaTypes: [],
  };
}

/** The tag the source was read by (`sha256-<hex>.sig` names a signature's subject). */
function tagOf(source: ImageSource): { tag?: string } {
  try {
    const ref = parseImageReference(source.reference);
    const tag = ref.transport === 'docker-archive' ? undefined : ref.tag;
    return tag === undefined ? {} : { tag };
  } catch {
    return {};
  }
}

async function loadPlatformImage(
  source: ImageSource,
  digest: Digest,
  manifest: ImageManifest,
): Promise<PlatformImage> {
  const what = `config ${manifest.config.digest} of ${source.reference}`;
  const config = parseImageConfig(
    await readBlob(source, manifest.config, MAX_CONFIG_BYTES, what),
    what,
  );
  const diffIds = config.rootfs.diff_ids;
  if (diffIds.length !== manifest.layers.length) {
    throw new InvalidManifestError(
      what,
      `rootfs.diff_ids has ${diffIds.length} entries for ${manifest.layers.length} layers in manifest ${digest}`,
    );
  }
  const layers = manifest.layers.map((descriptor, i) => ({ descriptor, diffId: diffIds[i]! }));
  return {
    platform: formatPlatform(platformOf(config)),
    digest,
    mediaType: manifest.mediaType,
    manifest,
    configDescriptor: manifest.config,
    config,
    layers,
  };
}

function platformOf(config: ImageConfig): Platform | undefined {
  if (config.os === undefined || config.architecture === undefined) return undefined;
  return {
    os: config.os,
    architecture: config.architecture,
    ...(config.variant !== undefined && { variant: config.variant }),
  };
}
