import { createHash } from 'node:crypto';
import { auditEventId, auditImage } from './audit-events';
import type { PushEvent } from './ecr-event';
import { digestHex } from './image-names';
import type { AuditEvent, AuditLog, ExecutionStarter, VerdictStore } from './ports';
import type { ImageTarget, ScanImageInput } from './steps';

export interface StartScanDeps {
  readonly starter: ExecutionStarter;
  readonly verdicts: VerdictStore;
  readonly audit: AuditLog;
  /** Whether a repository is watched (`CLEARANCE_REPOSITORIES`). */
  readonly watches: (repository: string) => boolean;
  /** `CLEARANCE_TRIGGER_WINDOW_SECONDS`: pushes of one digest within a window start one scan. */
  readonly windowSeconds: number;
}

/** What StartScan did with a push. */
export type StartScanResult =
  | { readonly action: 'started' | 'duplicate' | 'promotion'; readonly execution: string }
  | { readonly action: 'ignored'; readonly reason: string };

/** Step Functions execution names: at most 80 of `[A-Za-z0-9_-]`. */
export const MAX_EXECUTION_NAME_LENGTH = 80;
const DIGEST_HEX_IN_NAME = 16;
const REPOSITORY_HASH_HEX = 8;

/**
 * StartScan, the EventBridge target: a push to a watched repository starts ScanImage, once per
 * repository, digest and trigger window. The execution's name and input depend on nothing else
 * (not on the event id), so a duplicate event, whatever its id, makes the same start, which Step
 * Functions refuses or merges. A push the pipeline caused itself (a promotion or a quarantine
 * tag) starts nothing. Both are recorded as `image.pushed`.
 */
export async function startScan(push: PushEvent, deps: StartScanDeps): Promise<StartScanResult> {
  const { image } = push;
  if (!deps.watches(image.repository))
    return { action: 'ignored', reason: `${image.repository} is not a watched repository` };
  const window = Math.floor(push.time.getTime() / 1000 / deps.windowSeconds);
  const execution = executionName(image, window);
  const input = scanImageInput(push, execution, window * deps.windowSeconds);
  if (await deps.verdicts.isPromotion(image.repository, image.digest, push.time)) {
    await deps.audit.append([pushedEvent(push, input, { promotion: true })]);
    return { action: 'promotion', execution };
  }
  const { started } = await deps.starter.start(execution, input);
  await deps.audit.append([pushedEvent(push, input, { promotion: false })]);
  return { action: started ? 'started' : 'duplicate', execution };
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

function pushedEvent(
  push: PushEvent,
  input: ScanImageInput,
  details: { promotion: boolean },
): AuditEvent {
  return {
    id: auditEventId(input.trigger.id, 'image.pushed'),
    type: 'image.pushed',
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
