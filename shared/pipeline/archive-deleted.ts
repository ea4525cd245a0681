import { z } from 'zod';
import { imageResourceId, type AsffTarget, type FindingsHub } from '../securityhub';
import { PipelineError } from './errors';
import type { VerdictStore } from './ports';
import { parseProductArn } from './publish-findings';

/*
 * ECR's `ECR Image Action` event of a deleted image (action-type DELETE, result SUCCESS;
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-eventbridge.html): the image's
 * Security Hub findings are archived, since nothing will re-scan it.
 */
const EcrImageDeleted = z.object({
  'detail-type': z.literal('ECR Image Action'),
  account: z.string().regex(/^\d{12}$/, 'a 12-digit account id'),
  detail: z.object({
    'action-type': z.literal('DELETE'),
    result: z.literal('SUCCESS'),
    'repository-name': z.string().min(1).max(256),
    'image-digest': z.string().regex(/^sha256:[0-9a-f]{64}$/, 'a sha256 digest'),
    'image-tag': z.string().optional(),
  }),
});

/** Whether `event` is ECR's event of a successful image deletion (what the rule sends). */
export function isEcrImageDeleted(event: unknown): boolean {
  return EcrImageDeleted.safeParse(event).success;
}

export interface ArchiveDeletedDeps {
  readonly hub: FindingsHub;
  /** `arn:<partition>:securityhub:<region>:<account>:product/<account>/default`. */
  readonly productArn: string;
  /** The images table: the digest's verdict names its platforms' manifest digests. */
  readonly verdicts: Pick<VerdictStore, 'verdictOf'>;
  /**
   * Whether the digest is still in the repository: removing one tag of an image that has others
   * is a DELETE event too, and the image, still there, keeps its findings.
   */
  readonly stillStored: (repository: string, digest: string) => Promise<boolean>;
}

/** What archiving a deleted image's findings did. */
export interface ArchivedDeleted {
  /** `kept`: only a tag was removed; the image is still there, and so are its findings. */
  readonly status: 'archived' | 'partial' | 'kept';
  readonly repository: string;
  readonly digest: string;
  /** The image resources whose active findings were archived. */
  readonly resourceIds: readonly string[];
  readonly archived: number;
  readonly failed: number;
  readonly failures: readonly { id: string; code: string; message: string }[];
}

/**
 * An image deleted from ECR: every active Clearance finding of the digest's own resource, and of
 * each platform manifest its recorded verdict names, archived (imported with RecordState
 * ARCHIVED, workflow RESOLVED) by publishing no findings for them. An untagged digest without a
 * verdict still has its own resource archived. Anything but a successful deletion is a
 * `MALFORMED_INPUT` error; Security Hub unreachable throws, for EventBridge and Lambda to retry.
 */
export async function archiveDeletedImage(
  event: unknown,
  deps: ArchiveDeletedDeps,
): Promise<ArchivedDeleted> {
  const parsed = EcrImageDeleted.safeParse(event);
  if (!parsed.success)
    throw new PipelineError(
      'MALFORMED_INPUT',
      `not an ECR image deletion: ${parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')}`,
      'input',
    );
  const { account, detail } = parsed.data;
  const digest = detail['image-digest'];
  const repository = detail['repository-name'];
  if (detail['image-tag'] !== undefined && (await deps.stillStored(repository, digest)))
    return {
      status: 'kept',
      repository,
      digest,
      resourceIds: [],
      archived: 0,
      failed: 0,
      failures: [],
    };
  const product = parseProductArn(deps.productArn);
  const target: AsffTarget = {
    ...product,
    registryId: account,
    repository,
    tags: [],
    observedAt: new Date(0).toISOString(),
  };
  const verdict = await deps.verdicts.verdictOf(digest);
  const digests = [digest, ...(verdict?.platforms ?? []).map((p) => p.manifestDigest)];
  const resourceIds = [...new Set(digests)].map((d) => imageResourceId(target, d));
  const result = await deps.hub.publish([], { productArn: deps.productArn, resourceIds });
  const refused = [...result.failed, ...result.archiveFailed];
  return {
    status: refused.length === 0 ? 'archived' : 'partial',
    repository,
    digest,
    resourceIds,
    archived: result.archived,
    failed: refused.length,
    failures: refused.slice(0, 10),
  };
}
