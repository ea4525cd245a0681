import { describeArtifact, withArticle } from '../image';
import { ImageNotFoundError } from '../image';
import {
  resolveImageOrArtifact,
  type PlatformImage,
  type ResolvedImage,
  type ResolvedRoot,
} from '../image';
import type { ImageSource } from '../image';
import { RegistryNotFoundError } from '../registry';
import { PipelineError } from './errors';
import type { ObjectStore } from '../objects';
import { scanEvent } from './audit-events';
import { imageName } from './image-names';
import type { AuditEvent, AuditLog } from '../audit';
import type { Clock } from '../core';
import type { ImageOpener, VerdictStore } from './ports';
import { artifactDetails } from './start-scan';
import {
  STORED_IMAGE_SCHEMA_VERSION,
  scanIdOf,
  scanPlatformKeys,
  writeJson,
  type StoredImage,
} from './scan-keys';
import { pipelineScan } from './scan-set';
import {
  ScanImageInput,
  type ImageTarget,
  type PlatformRef,
  type ResolvedScan,
  type SkippedScan,
} from './states';
import { stepBinding } from './step-binding';

/** What Resolve uses. */
export interface ResolveDeps {
  readonly store: ObjectStore;
  readonly opener: ImageOpener;
  readonly clock: Clock;
  /** Where `scan.started` is appended. */
  readonly audit: AuditLog;
  /** Where a deferred scan learns whether an index's push covered it. */
  readonly verdicts: Pick<VerdictStore, 'indexOf'>;
}

/**
 * The Resolve state: `ScanImageInput` → `ResolvedScan` (platform images written to the store,
 * `scan.started` to the audit trail), or `SkippedScan` for what is not to be scanned.
 */
export const RESOLVE_STEP = stepBinding('Resolve', ScanImageInput, resolveScan);

/**
 * The Resolve step: the image's digest (never a tag) to its platform images, attestation
 * manifests skipped; each platform image written to `scans/<scanId>/<hex>/image.json` for the
 * steps after it, which then read no manifest or config again. A digest that is not in the
 * repository is a `Clearance.Input` error naming both. The audit event `scan.started` comes
 * first, before the image is opened: a scan that then fails has both its start and its failure
 * in the trail (its id is the scan's, so a retried Resolve appends it once).
 *
 * Nothing is scanned, and the execution ends as skipped (no failure, no message), when the
 * digest names an artifact (a signature, an attestation, an SBOM, a chart: `artifact.skipped`)
 * or, for a deferred scan, a platform manifest that its index's push covered (`scan.skipped`).
 */
export async function resolveScan(
  input: ScanImageInput,
  deps: ResolveDeps,
): Promise<ResolvedScan | SkippedScan> {
  const startedAt = deps.clock().toISOString();
  const scanId = scanIdOf(input.image.digest, input.trigger);
  const indexed =
    input.defer &&
    (await deps.verdicts.indexOf(input.image.repository, input.image.digest, deps.clock()));
  if (indexed)
    return skipped(input, scanId, startedAt, deps, {
      reason: 'indexed',
      detail: `pushed with index ${indexed}, whose scan covers it`,
      index: indexed,
    });
  const { analyzerSet } = pipelineScan();
  await deps.audit.append([startedEvent(input, scanId, startedAt, analyzerSet)]);
  const root = await resolveTarget(input.image, deps.opener);
  if (root.kind === 'artifact') {
    const pushed = { kind: 'artifact' as const, artifact: root.artifact };
    return skipped(
      input,
      scanId,
      startedAt,
      deps,
      {
        reason: 'artifact',
        detail: `${input.image.repository}@${input.image.digest} is not a container image: it is ${withArticle(describeArtifact(root.artifact))}`,
        kind: root.artifact.kind,
      },
      artifactDetails(pushed),
    );
  }
  const resolved = root.image;
  const platforms: PlatformRef[] = [];
  for (const image of resolved.manifests)
    platforms.push(await storePlatform(deps.store, scanId, resolved, image));
  return {
    scanId,
    image: input.image,
    trigger: input.trigger,
    startedAt,
    analyzerSet,
    platforms,
  };
}

/** The skipped scan, recorded: `artifact.skipped` with what it is, or `scan.skipped`. */
async function skipped(
  input: ScanImageInput,
  scanId: string,
  time: string,
  deps: ResolveDeps,
  why: SkippedScan['skipped'],
  details: Record<string, unknown> = {},
): Promise<SkippedScan> {
  await deps.audit.append([
    scanEvent({
      subject: scanId,
      type: why.reason === 'artifact' ? 'artifact.skipped' : 'scan.skipped',
      time,
      trigger: input.trigger,
      image: input.image,
      details: { scanId, name: imageName(input.image), ...why, ...details },
    }),
  ]);
  return { image: input.image, trigger: input.trigger, skipped: why };
}

/** `scan.started`: the image, the trigger, and the analyser set (policy and data come later). */
function startedEvent(
  input: ScanImageInput,
  scanId: string,
  time: string,
  analyzerSet: string,
): AuditEvent {
  return scanEvent({
    subject: scanId,
    type: 'scan.started',
    time,
    trigger: input.trigger,
    image: input.image,
    details: {
      scanId,
      name: imageName(input.image),
      registry: input.image.registry,
      trigger: { type: input.trigger.type, id: input.trigger.id, time: input.trigger.time },
    },
    versions: { analyzerSet },
  });
}

/** Opens the image and resolves it, `not found` said with the repository and the digest. */
export async function resolveTarget(
  target: ImageTarget,
  opener: ImageOpener,
): Promise<ResolvedRoot> {
  const notFound = (detail: string, cause?: unknown) =>
    new PipelineError(
      'IMAGE_NOT_FOUND',
      `${target.digest} is not in repository ${target.repository} of ${target.registry}: ${detail}`,
      'input',
      { cause },
    );
  let source: ImageSource | undefined;
  let resolved: ResolvedRoot;
  try {
    source = await opener.open(target);
    resolved = await resolveImageOrArtifact(source);
  } catch (error) {
    if (error instanceof ImageNotFoundError || error instanceof RegistryNotFoundError)
      throw notFound(error.message, error);
    throw error;
  } finally {
    await source?.close();
  }
  // A docker archive names no digest: what it holds must be what the scan is about.
  const { reference, digest } = resolved.kind === 'image' ? resolved.image : resolved;
  if (digest !== target.digest) throw notFound(`${reference} resolves to ${digest}`);
  return resolved;
}

async function storePlatform(
  store: ObjectStore,
  scanId: string,
  resolved: ResolvedImage,
  image: PlatformImage,
): Promise<PlatformRef> {
  const keys = scanPlatformKeys(scanId, image.digest);
  const stored: StoredImage = {
    schemaVersion: STORED_IMAGE_SCHEMA_VERSION,
    reference: resolved.reference,
    digest: resolved.digest,
    image,
  };
  await writeJson(store, keys.image, stored);
  return {
    platform: image.platform,
    manifestDigest: image.digest,
    imageKey: keys.image,
    layers: image.layers.map((layer) => ({
      digest: layer.descriptor.digest,
      mediaType: layer.descriptor.mediaType,
      size: layer.descriptor.size,
      diffId: layer.diffId,
    })),
  };
}
