import { S3Client } from '@aws-sdk/client-s3';
import { lambdaEnvironment, lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda';
import { S3ObjectStore } from '../../shared/aws/s3';
import { ASSEMBLE_STEP } from '../../shared/pipeline';
import { bindStep } from '../../shared/pipeline';

const runtime = lambdaRuntime();
const env = lambdaEnvironment('assemble');
const s3 = runtime.tracer.captureAWSv3Client(new S3Client({}));
const store = new S3ObjectStore({ client: s3, bucket: env.bucket });

/** Assemble: a platform's layer reports → its report and SBOMs, in the artifacts bucket. */
export const handler = lambdaHandler(
  runtime,
  bindStep(ASSEMBLE_STEP, { store, clock: () => new Date() }),
);
