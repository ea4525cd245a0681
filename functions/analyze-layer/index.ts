import { S3Client } from '@aws-sdk/client-s3';
import { ecrClientsByRegion } from '../../shared/aws/ecr';
import { EcrImageOpener } from '../../shared/aws/ecr';
import { lambdaEnvironment, lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda';
import { S3ObjectStore } from '../../shared/aws/s3';
import { ANALYZE_LAYER_STEP } from '../../shared/pipeline';
import { bindStep } from '../../shared/pipeline';

const runtime = lambdaRuntime();
const env = lambdaEnvironment('analyze-layer');
const s3 = runtime.tracer.captureAWSv3Client(new S3Client({}));
const store = new S3ObjectStore({ client: s3, bucket: env.bucket });
// One opener per container: its ECR token is reused by every layer the container reads.
const opener = new EcrImageOpener({
  clientFor: ecrClientsByRegion((client) => runtime.tracer.captureAWSv3Client(client)),
});

/** AnalyzeLayer: one layer streamed from ECR and analysed, its report cached in the bucket. */
export const handler = lambdaHandler(runtime, bindStep(ANALYZE_LAYER_STEP, { store, opener }));
