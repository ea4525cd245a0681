import { ECRClient } from '@aws-sdk/client-ecr';
import { S3Client } from '@aws-sdk/client-s3';
import { EcrFleetLister } from '../../shared/aws/ecr';
import { lambdaEnvironment, lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda';
import { S3ObjectStore } from '../../shared/aws/s3';
import { ENUMERATE_STEP } from '../../shared/fleet';
import { bindStep } from '../../shared/pipeline';

const runtime = lambdaRuntime();
const env = lambdaEnvironment('fleet-enumerate');
const s3 = runtime.tracer.captureAWSv3Client(new S3Client({}));
const ecr = runtime.tracer.captureAWSv3Client(new ECRClient({}));

/**
 * Enumerate: the images of the watched ECR repositories as the fleet run's items file;
 * artifacts and promotion copies counted, not listed.
 */
export const handler = lambdaHandler(
  runtime,
  bindStep(ENUMERATE_STEP, {
    lister: new EcrFleetLister({
      client: ecr,
      repositories: env.repositories,
      promotionRepository: env.promotionRepository,
    }),
    store: new S3ObjectStore({ client: s3, bucket: env.bucket }),
    clock: () => new Date(),
    bucket: env.bucket,
  }),
);
