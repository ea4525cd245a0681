import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { ecrClientsByRegion } from '../../shared/aws/ecr';
import { EcrImageOpener } from '../../shared/aws/ecr';
import { lambdaEnvironment, lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda';
import { recordingPorts } from '../../shared/aws/dynamodb';
import { S3ObjectStore } from '../../shared/aws/s3';
import { RESOLVE_STEP } from '../../shared/pipeline';
import { bindStep } from '../../shared/pipeline';

const runtime = lambdaRuntime();
const env = lambdaEnvironment('resolve');
const s3 = runtime.tracer.captureAWSv3Client(new S3Client({}));
const store = new S3ObjectStore({ client: s3, bucket: env.bucket });
const opener = new EcrImageOpener({
  clientFor: ecrClientsByRegion((client) => runtime.tracer.captureAWSv3Client(client)),
});

const { audit, verdicts } = recordingPorts(
  runtime.tracer.captureAWSv3Client(new DynamoDBClient({})),
  env,
);

/**
 * Resolve: the image's digest to its platform images (ECR), written to the artifacts bucket;
 * `scan.started` in the audit trail; an artifact, or a platform its index's scan covers, skipped.
 */
export const handler = lambdaHandler(
  runtime,
  bindStep(RESOLVE_STEP, { store, opener, audit, verdicts, clock: () => new Date() }),
);
