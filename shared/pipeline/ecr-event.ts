import { z } from 'zod';
import { PipelineError } from './errors';
import type { ImageTarget } from './states';

/*
 * The EventBridge event StartScan is the target of: `ECR Image Action` with action-type PUSH
 * and result SUCCESS (https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-eventbridge.html).
 * Inspector-style events put the repository's ARN where ECR's put its name; the ARN's account
 * and region then name the registry.
 */

/** A push StartScan acts on. */
export interface PushEvent {
  /** The EventBridge event id (duplicates of one push may carry another). */
  readonly id: string;
  readonly time: Date;
  /** The account the event came from. */
  readonly account: string;
  readonly image: ImageTarget;
}

const ACCOUNT = /^\d{12}$/;
/** ECR's pattern of repository names (CreateRepository's `repositoryName`). */
const REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const REPOSITORY_ARN = /^arn:(aws[a-z-]*):ecr:([a-z0-9-]+):(\d{12}):repository\/(.+)$/;
const MAX_REPOSITORY_LENGTH = 256;

const EcrImageAction = z.object({
  id: z.string().min(1),
  'detail-type': z.literal('ECR Image Action'),
  account: z.string().regex(ACCOUNT, 'a 12-digit account id'),
  region: z.string().regex(/^[a-z0-9-]+$/, 'a region'),
  time: z.string().datetime({ offset: true }),
  detail: z.object({
    'action-type': z.literal('PUSH'),
    result: z.literal('SUCCESS'),
    'repository-name': z.string().min(1).max(400),
    'image-digest': z.string().regex(/^sha256:[0-9a-f]{64}$/, 'a sha256 digest'),
    /** Absent or empty for an untagged push (a platform manifest of a multi-platform image). */
    'image-tag': z.string().optional(),
  }),
});

/**
 * The push an EventBridge event reports; anything else (another action, a failed push, another
 * shape) is a `MALFORMED_INPUT` error of kind `input`, which no one retries.
 */
export function parseEcrPushEvent(event: unknown): PushEvent {
  const parsed = EcrImageAction.safeParse(event);
  if (!parsed.success)
    throw malformed(
      parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; '),
    );
  const { id, account, region, time, detail } = parsed.data;
  const where = repositoryOf(detail['repository-name'], { account, region });
  const tag = detail['image-tag'];
  return {
    id,
    time: new Date(time),
    account,
    image: {
      registry: where.registry,
      repository: where.repository,
      digest: detail['image-digest'],
      ...(tag === undefined || tag === '' ? {} : { tag }),
    },
  };
}

/** ECR's registry host of an account in a region: `<account>.dkr.ecr.<region>.amazonaws.com`. */
export function ecrRegistry(account: string, region: string, partition = 'aws'): string {
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `${account}.dkr.ecr.${region}.${domain}`;
}

function repositoryOf(
  name: string,
  event: { account: string; region: string },
): { registry: string; repository: string } {
  const arn = REPOSITORY_ARN.exec(name);
  const repository = arn ? arn[4]! : name;
  if (repository.length > MAX_REPOSITORY_LENGTH || !REPOSITORY.test(repository))
    throw malformed(`detail.repository-name: ${JSON.stringify(name)} names no ECR repository`);
  const registry = arn
    ? ecrRegistry(arn[3]!, arn[2]!, arn[1])
    : ecrRegistry(event.account, event.region);
  return { registry, repository };
}

function malformed(what: string): PipelineError {
  return new PipelineError(
    'MALFORMED_INPUT',
    `not an ECR Image Action PUSH/SUCCESS event: ${what}`,
    'input',
  );
}
