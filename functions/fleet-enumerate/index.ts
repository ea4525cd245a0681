import { ECRClient } from '@aws-sdk/client-ecr';
import { S3Client } from '@aws-sdk/client-s3';
import { EcrFleetLister } from '../../shared/aws/ecr/fleet-lister';
import {
  lambdaHandler,
  lambdaRuntime,
  optionalEnv,
  requireEnv,
} from '../../shared/aws/lambda/runtime';
import { S3ObjectStore } from '../../shared/aws/s3/object-store';
import { parseRepositoryGlobs } from '../../shared/fleet/repositories';
import { fleetEnumerateHandler } from './handler';

const runtime = lambdaRuntime();
const bucket = requireEnv('CLEARANCE_BUCKET');
const s3 = runtime.tracer.captureAWSv3Client(new S3Client({}));
const ecr = runtime.tracer.captureAWSv3Client(new ECRClient({}));

/**
 * Enumerate: the images of the watched ECR repositories as the fleet run's items file;
 * artifacts and promotion copies counted, not listed.
 */
export const handler = lambdaHandler(
  runtime,
  fleetEnumerateHandler({
    lister: new EcrFleetLister({
      client: ecr,
      repositories: parseRepositoryGlobs(requireEnv('CLEARANCE_REPOSITORIES')),
      promotionRepository: optionalEnv('CLEARANCE_PROMOTION_REPOSITORY'),
    }),
    store: new S3ObjectStore({ client: s3, bucket }),
    clock: () => new Date(),
    bucket,
  }),
);
