import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { recordingPorts } from '../../shared/aws/dynamodb';
import { lambdaEnvironment, lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda';
import { S3ObjectStore } from '../../shared/aws/s3';
import { RECORD_STEP } from '../../shared/pipeline';
import { bindStep } from '../../shared/pipeline';

const runtime = lambdaRuntime();
const env = lambdaEnvironment('record');
const s3 = runtime.tracer.captureAWSv3Client(new S3Client({}));
const dynamodb = runtime.tracer.captureAWSv3Client(new DynamoDBClient({}));

/** Record: the image's verdict in the images table, its summary in the bucket, the audit events. */
export const handler = lambdaHandler(
  runtime,
  bindStep(RECORD_STEP, {
    objects: new S3ObjectStore({ client: s3, bucket: env.bucket }),
    ...recordingPorts(dynamodb, env),
  }),
);
