import type { Healthcheck, HistoryEntry } from '../image';
import type { ArtifactDescription } from '../image';
import type { PlatformImage, ResolvedImage, ResolvedRoot } from '../image';
import type { LayerResult } from '../layers';

/** What `clearance inspect` prints: a stable JSON shape later tools and tests rely on. */
export interface InspectReport {
  readonly reference: string;
  readonly digest: string;
  readonly mediaType: string;
  readonly manifests: readonly ManifestReport[];
  /** Entries of the index that are not images (attestations, signatures), not scanned. */
  readonly skipped: readonly { readonly digest: string; readonly artifact: ArtifactDescription }[];
}

/** What `clearance inspect` prints for something that is not an image. */
export interface ArtifactInspectReport {
  readonly reference: string;
  readonly digest: string;
  /** What it is, from its manifest alone: kind, artifactType, media types, subject. */
  readonly artifact: ArtifactDescription;
}

export interface ManifestReport {
  readonly platform: string;
  readonly digest: string;
  readonly mediaType: string;
  readonly config: {
    readonly digest: string;
    readonly user: string;
    readonly env: readonly string[];
    readonly entrypoint: readonly string[];
    readonly cmd: readonly string[];
    readonly workingDir: string;
    readonly exposedPorts: readonly string[];
    readonly healthcheck: Healthcheck | null;
    readonly labels: Readonly<Record<string, string>>;
    readonly created: string | null;
    readonly history: readonly HistoryEntry[];
  };
  readonly layers: readonly LayerReport[];
}

export interface LayerReport {
  readonly digest: string;
  readonly diffId: string;
  readonly size: number;
  readonly mediaType: string;
  /** Present with `--verify`: what streaming the layer found. */
  readonly verification?: LayerVerification;
}

export type LayerVerification =
  | {
      readonly ok: true;
      readonly compression: string;
      readonly uncompressedSize: number;
      readonly entries: number;
      readonly whiteouts: number;
      /** The first problems (at most MAX_LAYER_PROBLEMS); `problemCount` counts them all. */
      readonly problems: readonly { path?: string; reason: string }[];
      readonly problemCount: number;
    }
  | { readonly ok: false; readonly error: { readonly code: string; readonly message: string } };

/** Maps a resolved image (and, with `--verify`, its layer results per manifest) to the report. */
export function inspectReport(
  image: ResolvedImage,
  layerResults?: ReadonlyMap<string, readonly LayerResult[]>,
): InspectReport {
  return {
    reference: image.reference,
    digest: image.digest,
    mediaType: image.mediaType,
    manifests: image.manifests.map((m) => manifestReport(m, layerResults?.get(m.digest))),
    skipped: image.skipped,
  };
}

export function artifactReport(
  root: Extract<ResolvedRoot, { kind: 'artifact' }>,
): ArtifactInspectReport {
  return { reference: root.reference, digest: root.digest, artifact: root.artifact };
}

function manifestReport(
  image: PlatformImage,
  results: readonly LayerResult[] | undefined,
): ManifestReport {
  const c = image.config.config ?? {};
  return {
    platform: image.platform,
    digest: image.digest,
    mediaType: image.mediaType,
    config: {
      digest: image.configDescriptor.digest,
      user: c.User ?? '',
      env: c.Env ?? [],
      entrypoint: c.Entrypoint ?? [],
      cmd: c.Cmd ?? [],
      workingDir: c.WorkingDir ?? '',
      exposedPorts: Object.keys(c.ExposedPorts ?? {}).sort(),
      healthcheck: c.Healthcheck ?? null,
      labels: c.Labels ?? {},
      created: image.config.created ?? null,
      history: image.config.history ?? [],
    },
    layers: image.layers.map((layer, i) => ({
      digest: layer.descriptor.digest,
      diffId: layer.diffId,
      size: layer.descriptor.size,
      mediaType: layer.descriptor.mediaType,
      ...(results?.[i] !== undefined && { verification: verificationOf(results[i]) }),
    })),
  };
}

function verificationOf(result: LayerResult): LayerVerification {
  if (!result.ok)
    return { ok: false, error: { code: result.error.code, message: result.error.message } };
  const { listing } = result;
  return {
    ok: true,
    compression: listing.compression,
    uncompressedSize: listing.uncompressedBytes,
    entries: listing.entries.length,
    whiteouts: listing.whiteouts.length + listing.opaqueDirectories.length,
    problems: listing.problems.map(({ path, reason }) => ({
      ...(path !== undefined && { path }),
      reason,
    })),
    problemCount: listing.problemCount,
  };
}
