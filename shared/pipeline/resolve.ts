import { ImageNotFoundError } from '../image/errors';
import { resolveImage, type PlatformImage, type ResolvedImage } from '../image/resolve';
import type { ImageSource } from '../image/source';
import { RegistryNotFoundError } from '../registry/errors';
import { PipelineError } from './errors';
import type { ObjectStore } from './object-store';
import { scanEvent } from './audit-events';
import { imageName } from './image-names';
import type { AuditEvent, AuditLog, Clock, ImageOpener } from './ports';
import {
  STORED_IMAGE_SCHEMA_VERSION,
  scanIdOf,
  scanPlatformKeys,
  writeJson,
  type StoredImage,
} from './scan-keys';
import { pipelineScan } from './scan-set';
import type { ImageTarget, PlatformRef, ResolvedScan, ScanImageInput } from './steps';

/** What Resolve uses. */
export interface ResolveDeps {
  readonly store: ObjectStore;
  readonly opener: ImageOpener;
  readonly clock: Clock;
  /** Where `scan.started` is appended. */
  readonly audit: AuditLog;
}

/**
 * The Resolve step: the image's digest (never a tag) to its platform images, attestation
 * manifests skipped; each platform image written to `scans/<scanId>/<hex>/image.json` for the
 * steps after it, which then read no manifest or config again. A digest that is not in the
 * repository is a `Clearance.Input` error naming both. The audit event `scan.started` comes
 * first, before the image is opened: a scan that then fails has both its start and its failure
 * in the trail (its id is the scan's, so a retried Resolve appends it once).
 */
export async function resolveScan(input: ScanImageInput, deps: ResolveDeps): Promise<ResolvedScan> {
  const startedAt = deps.clock().toISOString();
  const scanId = scanIdOf(input.image.digest, input.trigger);
  const { analyzerSet } = pipelineScan();
  await deps.audit.append([startedEvent(input, scanId, startedAt, analyzerSet)]);
  const resolved = await resolveTarget(input.image, deps.opener);
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
): Promise<ResolvedImage> {
  const notFound = (detail: string, cause?: unknown) =>
    new PipelineError(
      'IMAGE_NOT_FOUND',
      `${target.digest} is not in repository ${target.repository} of ${target.registry}: ${detail}`,
      'input',
      { cause },
    );
  let source: ImageSource | undefined;
  let resolved: ResolvedImage;
  try {
    source = await opener.open(target);
    resolved = await resolveImage(source);
  } catch (error) {
    if (error instanceof ImageNotFoundError || error instanceof RegistryNotFoundError)
      throw notFound(error.message, error);
    throw error;
  } finally {
    await source?.close();
  }
  // A docker archive names no digest: what it holds must be what the scan is about.
  if (resolved.digest !== target.digest)
    throw notFound(`${resolved.reference} resolves to ${resolved.digest}`);
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
