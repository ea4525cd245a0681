import type { Digest } from './digest';
import { parseImageConfig, type ImageConfig } from './config';
import { InvalidManifestError, NoMatchingPlatformError } from './errors';
import {
  MAX_CONFIG_BYTES,
  parseManifest,
  type Descriptor,
  type ImageManifest,
  type Platform,
} from './manifest';
import { formatPlatform, isAttestationManifest, platformMatches } from './platform';
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
}

export interface ResolveOptions {
  /** Keep only this platform; all platforms when absent. */
  readonly platform?: Platform;
}

/**
 * Resolves a source's root to its platform images: an index is walked to its platform manifests
 * (attestation manifests skipped), and each manifest's config is read and checked against it.
 */
export async function resolveImage(
  source: ImageSource,
  options: ResolveOptions = {},
): Promise<ResolvedImage> {
  const root = await source.resolveRoot();
  const parsed = parseManifest(
    root.bytes,
    root.mediaType,
    `manifest ${root.digest} of ${source.reference}`,
  );
  const base = {
    reference: source.reference,
    digest: root.digest,
    mediaType: parsed.kind === 'index' ? parsed.index.mediaType : parsed.manifest.mediaType,
  };
  if (parsed.kind === 'manifest') {
    const image = await loadPlatformImage(source, root.digest, parsed.manifest);
    if (options.platform && !platformMatches(options.platform, platformOf(image.config))) {
      throw new NoMatchingPlatformError(formatPlatform(options.platform), [image.platform]);
    }
    return { ...base, manifests: [image] };
  }
  const candidates = parsed.index.manifests.filter((d) => !isAttestationManifest(d));
  const chosen = options.platform
    ? candidates.filter((d) => platformMatches(options.platform!, d.platform))
    : candidates;
  if (chosen.length === 0) {
    throw new NoMatchingPlatformError(
      formatPlatform(options.platform),
      candidates.map((d) => formatPlatform(d.platform)),
    );
  }
  const manifests: PlatformImage[] = [];
  for (const descriptor of chosen) {
    const child = await source.fetchManifest(descriptor);
    const what = `manifest ${descriptor.digest} of ${source.reference}`;
    const childParsed = parseManifest(child.bytes, descriptor.mediaType, what);
    if (childParsed.kind !== 'manifest')
      throw new InvalidManifestError(what, 'nested indexes are not supported');
    manifests.push(await loadPlatformImage(source, descriptor.digest, childParsed.manifest));
  }
  return { ...base, manifests };
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
