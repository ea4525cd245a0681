import { basename } from 'node:path';
import { parseImageReference, type ImageReference } from '../image';
import type { AsffPartition } from './asff';
import type { AsffTarget } from './findings';

/** An ECR registry host: its account, region and partition. */
export interface EcrRegistry {
  readonly accountId: string;
  readonly region: string;
  readonly partition: AsffPartition;
}

const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?(?::443)?$/i;

/** The account and region an ECR host names; undefined for any other registry. */
export function ecrRegistryOf(host: string): EcrRegistry | undefined {
  const m = ECR_HOST.exec(host);
  if (!m) return undefined;
  const region = m[2]!.toLowerCase();
  const partition: AsffPartition = m[3]
    ? 'aws-cn'
    : region.startsWith('us-gov-')
      ? 'aws-us-gov'
      : 'aws';
  return { accountId: m[1]!, region, partition };
}

/** Used when neither the image nor the caller names an account: never a real one. */
export const PLACEHOLDER_ACCOUNT = '000000000000';
export const DEFAULT_REGION = 'us-east-1';

/** What the CLI knows beyond the report: the account and region asked for, the time. */
export interface TargetOptions {
  readonly accountId?: string;
  readonly region?: string;
  readonly observedAt: string;
}

/**
 * The target of a report scanned by reference (the CLI): an ECR image's own account, region,
 * repository and tag; any other image's repository (an `oci:` layout's or an archive's file
 * name) with the account and region given, else placeholders a user replaces before importing.
 */
export function targetOfReference(reference: string, options: TargetOptions): AsffTarget {
  const ref = parseImageReference(reference);
  const ecr = ref.transport === 'docker' ? ecrRegistryOf(ref.registry) : undefined;
  const accountId = options.accountId ?? ecr?.accountId ?? PLACEHOLDER_ACCOUNT;
  return {
    accountId,
    region: options.region ?? ecr?.region ?? DEFAULT_REGION,
    partition: ecr?.partition ?? 'aws',
    registryId: ecr?.accountId ?? accountId,
    repository: repositoryOf(ref),
    tags: 'tag' in ref && ref.tag !== undefined ? [ref.tag] : [],
    observedAt: options.observedAt,
  };
}

function repositoryOf(ref: ImageReference): string {
  if (ref.transport === 'docker') return ref.repository;
  const name = basename(ref.path.replace(/\/+$/, '')).replace(/\.tar(\.gz)?$/, '');
  return name === '' || name === '.' ? 'image' : name;
}
