import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledge, acknowledgeWildcards } from './nag';
import type { PipelineFunction } from './pipeline-function';

/** The ECR (and signing-key) permissions one function needs. */
export interface EcrAccess {
  /** Globs of the watched repository names (`*` is every one). */
  readonly repositories: readonly string[];
  /** Read manifests and blobs of the watched repositories (the registry API, with a token). */
  readonly pull: boolean;
  /** Read manifests only of the watched repositories (the registry API, with a token). */
  readonly pullManifests?: boolean;
  /** Read manifests of the watched repositories (the ECR API's BatchGetImage: copying tags). */
  readonly readManifests: boolean;
  /** Put tags (quarantine) in the watched repositories. */
  readonly tagWatched: boolean;
  /** Put images in this repository (the promotion target), copying the blobs it lacks from the watched ones. */
  readonly pushTo?: string;
  /** List the watched repositories and their images. */
  readonly enumerate: boolean;
  /** `awskms://ARN` keys whose public half verifies signatures. */
  readonly publicKeys: readonly string[];
  /** Push artifacts (verdict attestations: blobs and an untagged manifest) into the watched repositories. */
  readonly attach?: boolean;
}

/**
 * Putting an image or artifact through the ECR API: its blobs with the layer upload calls, its
 * manifest with PutImage (the promotion copy, ecr-blob-copy.ts; a verdict attestation in the
 * image's own repository, ecr-artifact-pusher.ts).
 */
const LAYER_PUSH = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
  'ecr:PutImage',
];

/** Grants `access` to `fn` with narrow statements, acknowledging each wildcard with its reason. */
export function ecrGrants(fn: PipelineFunction, access: EcrAccess): void {
  const grantee = fn.function;
  const watched = access.repositories.map((glob) => repositoryArn(fn, glob));
  const add = (actions: string[], resourceArns: string[]): void =>
    void iam.Grant.addToPrincipal({ grantee, actions, resourceArns });
  if (pullsFromRegistry(access)) {
    add(
      access.pull ? ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] : ['ecr:BatchGetImage'],
      watched,
    );
    add(['ecr:GetAuthorizationToken'], ['*']);
    acknowledge(
      fn.role,
      'AwsSolutions-IAM5[Resource::*]',
      'ecr:GetAuthorizationToken has no resource-level permissions (the token is per registry); X-Ray tracing has none either.',
    );
  } else if (access.readManifests) add(['ecr:BatchGetImage'], watched);
  if (access.tagWatched) add(['ecr:PutImage'], watched);
  if (access.pushTo !== undefined) {
    // Promotion copies the blobs the target lacks through the ECR API (shared/aws/ecr/blob-copy.ts):
    // pre-signed URLs of the watched repositories' layers, the layer upload calls in the target.
    if (!access.pull) add(['ecr:GetDownloadUrlForLayer'], watched);
    add(LAYER_PUSH, [repositoryArn(fn, access.pushTo)]);
  }
  if (access.attach === true) add(LAYER_PUSH, watched);
  if (access.enumerate) {
    // Listing repositories is one call over all of them; the globs filter its answer.
    add(['ecr:DescribeRepositories'], [repositoryArn(fn, '*')]);
    add(['ecr:DescribeImages'], watched);
  }
  if (access.publicKeys.length > 0)
    add(
      ['kms:GetPublicKey'],
      access.publicKeys.map((key) => key.replace(/^awskms:\/\//, '')),
    );
  if (touchesWatched(access)) {
    const wildcards = [...watched, ...(access.enumerate ? [repositoryArn(fn, '*')] : [])];
    acknowledgeWildcards(
      fn.role,
      { resources: wildcards.filter((arn) => arn.includes('*')) },
      `The watched repositories, configured as globs of names (${access.repositories.join(', ')}).`,
    );
  }
}

/** Reads through the registry API (blobs, or manifests only), which takes a token. */
function pullsFromRegistry(access: EcrAccess): boolean {
  return access.pull || access.pullManifests === true;
}

/** Holds any grant on the watched repositories (their ARNs are globs, acknowledged once). */
function touchesWatched(access: EcrAccess): boolean {
  return (
    pullsFromRegistry(access) ||
    access.readManifests ||
    access.tagWatched ||
    access.enumerate ||
    access.attach === true
  );
}

/** The ARN of repository `name` (or glob) in this stack's account and region. */
export function repositoryArn(fn: PipelineFunction, name: string): string {
  return Stack.of(fn).formatArn({ service: 'ecr', resource: 'repository', resourceName: name });
}
