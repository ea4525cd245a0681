import { S3Client } from '@aws-sdk/client-s3';
import { lambdaHandler, lambdaRuntime, requireEnv } from '../../shared/aws/lambda/runtime';
import { S3ObjectStore } from '../../shared/aws/s3/object-store';
import { assembleHandler } from './handler';

const runtime = lambdaRuntime();
const s3 = runtime.tracer.captureAWSv3Client(new S3Client({}));
const store = new S3ObjectStore({ client: s3, bucket: requireEnv('CLEARANCE_BUCKET') });

/** Assemble: a platform's layer reports → its report and SBOMs, in the artifacts bucket. */
export const handler = lambdaHandler(runtime, assembleHandler({ store, clock: () => new Date() }));
