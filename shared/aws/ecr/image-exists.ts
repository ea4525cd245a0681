import { BatchGetImageCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { AwsError, awsRequestError } from '..';

/**
 * Whether `digest` is still in `repository` (BatchGetImage by digest: an `ImageNotFound` failure
 * says it is gone). Any other failure throws, for the caller's retries: a guess either way would
 * archive findings of an image that runs, or keep those of one that is gone.
 */
export async function ecrImageExists(
  client: ECRClient,
  repository: string,
  digest: string,
): Promise<boolean> {
  const where = `${repository}@${digest}`;
  let answer;
  try {
    answer = await client.send(
      new BatchGetImageCommand({ repositoryName: repository, imageIds: [{ imageDigest: digest }] }),
    );
  } catch (error) {
    throw awsRequestError('ECR BatchGetImage', where, error);
  }
  if ((answer.images ?? []).length > 0) return true;
  const failure = answer.failures?.[0];
  if (failure?.failureCode === 'ImageNotFound') return false;
  throw new AwsError(
    'AWS_REQUEST_FAILED',
    `ECR BatchGetImage ${where}: ${failure?.failureCode ?? 'neither an image nor a failure'} ${failure?.failureReason ?? ''}`.trim(),
    'transient',
  );
}
