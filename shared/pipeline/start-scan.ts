import { createHash } from 'node:crypto';
import { z } from 'zod';
import { describeArtifact } from '../image';
import { auditEventId, auditImage } from './audit-events';
import { parseEcrPushEvent, type PushEvent } from './ecr-event';
import { digestHex } from './image-names';
import type { AuditEvent, AuditLog } from '../audit';
import type { EventPublisher } from '../events';
import type { ExecutionStarter, ImageOpener, VerdictStore } from './ports';
import { pushKind, type PushKind } from './push-kind';
import { skippedEvent } from './skipped-event';
import type { ImageTarget, ScanImageInput } from './states';
import { stepBinding } from './step-binding';

export interface StartScanDeps {
  readonly starter: ExecutionStarter;
  readonly verdicts: VerdictStore;
  readonly audit: AuditLog;
  /** Reads the pushed manifest, to tell images from artifacts and indexes. */
  readonly opener: ImageOpener;
  /** Whether a repository is watched (`CLEARANCE_REPOSITORIES`). */
  readonly watches: (repository: string) => boolean;
  /** `CLEARANCE_TRIGGER_WINDOW_SECONDS`: pushes of one digest within a window start one scan. */
  readonly windowSeconds: number;
  /**
   * `CLEARANCE_INDEX_WAIT_SECONDS`: how long the scan of an untagged manifest waits for the
   * index it may have been pushed with (ECR delivers the events of one push in any order).
   */
  readonly indexWaitSeconds: number;
  /**
   * Where `Clearance Artifact Skipped` goes (the account's default bus).
   * @default - no events (`publishEvents: false`)
   */
  readonly events?: EventPublisher;
}

/** What StartScan did with a push. */
export type StartScanResult =
  | {
      readonly action: 'started' | 'duplicate' | 'promotion' | 'indexed' | 'skipped';
      readonly execution: string;
    }
  | { readonly action: 'ignored'; readonly reason: string };

/** Step Functions execution names: at most 80 of `[A-Za-z0-9_-]`. */
export const MAX_EXECUTION_NAME_LENGTH = 80;
const DIGEST_HEX_IN_NAME = 16;
const REPOSITORY_HASH_HEX = 8;

/**
 * The StartScan function, target of the `ECR Image Action` rule: a push → at most one ScanImage
 * execution per repository, digest and trigger window. A malformed event is `Clearance.Input`.
 */
export const START_SCAN_STEP = stepBinding('StartScan', z.unknown(), (event, deps: StartScanDeps) =>
  startScan(parseEcrPushEvent(event), deps),
);

/**
 * StartScan, the EventBridge target: a push to a watched repository starts ScanImage, once per
 * repository, digest and trigger window. The execution's name and input depend on nothing else
 * (not on the event id), so a duplicate event, whatever its id, makes the same start, which Step
 * Functions refuses or merges. Nothing is started for a push the pipeline caused itself (a
 * promotion, a quarantine tag, a signed verdict), for an artifact (recorded as
 * `artifact.skipped`), or for a platform manifest whose index was pushed with it: the index's
 * scan covers its platforms, so a multi-platform push gives one verdict and one alert. An
 * untagged manifest whose index is not known yet is started deferred (see `Deferral`).
 */
export async function startScan(push: PushEvent, deps: StartScanDeps): Promise<StartScanResult> {
  const { image } = push;
  if (!deps.watches(image.repository))
    return { action: 'ignored', reason: `${image.repository} is not a watched repository` };
  const window = Math.floor(push.time.getTime() / 1000 / deps.windowSeconds);
  const execution = executionName(image, window);
  const input = scanImageInput(push, execution, window * deps.windowSeconds);
  const record = (details: Record<string, unknown>, type: PushedType = 'image.pushed') =>
    deps.audit.append([pushedEvent(push, input, type, details)]);
  if (await deps.verdicts.isPromotion(image.repository, image.digest, push.time)) {
    await record({ promotion: true });
    return { action: 'promotion', execution };
  }
  const pushed = await pushKind(image, deps.opener);
  if (pushed.kind === 'artifact') {
    const details = artifactDetails(pushed);
    await record(details, 'artifact.skipped');
    await deps.events?.publish(skippedEvent(push, execution, details));
    return { action: 'skipped', execution };
  }
  if (pushed.kind === 'index') await markListed(push, pushed.manifests, deps);
  const untagged = pushed.kind === 'image' && image.tag === undefined;
  const index = untagged
    ? await deps.verdicts.indexOf(image.repository, image.digest, push.time)
    : undefined;
  if (index !== undefined) {
    await record({ promotion: false, kind: 'image', index });
    return { action: 'indexed', execution };
  }
  const deferred = untagged ? { ...input, defer: { seconds: deps.indexWaitSeconds } } : input;
  const { started } = await deps.starter.start(execution, deferred);
  await record({ promotion: false, kind: pushed.kind, ...(untagged && { deferred: true }) });
  return { action: started ? 'started' : 'duplicate', execution };
}

/**
 * Marks the manifests an index lists (its platforms, and its attestations, which its scan
 * skips) as covered by it, for their own pushes' events.
 */
async function markListed(
  push: PushEvent,
  manifests: readonly string[],
  deps: StartScanDeps,
): Promise<void> {
  const expiresAt = new Date(push.time.getTime() + deps.windowSeconds * 1000);
  for (const digest of manifests)
    await deps.verdicts.markIndexed(push.image.repository, digest, push.image.digest, expiresAt);
}

/** What the audit trail says of an artifact push: its kind, media types and subject. */
export function artifactDetails(pushed: Extract<PushKind, { kind: 'artifact' }>) {
  const { artifact } = pushed;
  return {
    kind: artifact.kind,
    description: describeArtifact(artifact),
    ...(artifact.artifactType !== undefined && { artifactType: artifact.artifactType }),
    mediaType: artifact.mediaType,
    ...(artifact.configMediaType !== undefined && { configMediaType: artifact.configMediaType }),
    layerMediaTypes: artifact.layerMediaTypes,
    ...(artifact.subject !== undefined && { subject: artifact.subject }),
  };
}

/**
 * The execution name of a scan of `image` in trigger window `window`: a slug of the repository,
 * a hash of registry and repository (slugs of `a/b` and `a-b` are alike; long ones are cut),
 * the digest's first hex digits and the window number.
 */
export function executionName(image: ImageTarget, window: number): string {
  const hash = createHash('sha256')
    .update(`${image.registry}/${image.repository}`)
    .digest('hex')
    .slice(0, REPOSITORY_HASH_HEX);
  const tail = `-${hash}-${digestHex(image.digest).slice(0, DIGEST_HEX_IN_NAME)}-${window}`;
  const slug = image.repository
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_EXECUTION_NAME_LENGTH - tail.length)
    .replace(/^-+|-+$/g, '');
  return `${slug || 'image'}${tail}`;
}

/** ScanImage's input: the image and a push trigger named by the execution, at its window's start. */
function scanImageInput(push: PushEvent, execution: string, windowStart: number): ScanImageInput {
  return {
    image: push.image,
    trigger: {
      type: 'push',
      id: execution,
      actor: `aws.ecr:${push.account}`,
      time: new Date(windowStart * 1000).toISOString(),
    },
  };
}

type PushedType = 'image.pushed' | 'artifact.skipped';

function pushedEvent(
  push: PushEvent,
  input: ScanImageInput,
  type: PushedType,
  details: Record<string, unknown>,
): AuditEvent {
  return {
    id: auditEventId(input.trigger.id, type),
    type,
    time: push.time.toISOString(),
    actor: input.trigger.actor,
    image: auditImage(push.image),
    details: {
      registry: push.image.registry,
      eventId: push.id,
      execution: input.trigger.id,
      ...details,
    },
    versions: {},
  };
}
