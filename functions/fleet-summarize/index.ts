import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import {
  lambdaHandler,
  lambdaRuntime,
  optionalEnv,
  requireEnv,
} from '../../shared/aws/lambda-runtime';
import { S3ObjectStore } from '../../shared/aws/s3-object-store';
import { SnsNotifier } from '../../shared/aws/sns-notifier';
import { fleetSummarizeHandler } from './handler';

const runtime = lambdaRuntime();
const bucket = requireEnv('CLEARANCE_BUCKET');
const alertsTopicArn = requireEnv('CLEARANCE_ALERTS_TOPIC_ARN');
const notifier = new SnsNotifier({
  sns: runtime.tracer.captureAWSv3Client(new SNSClient({})),
  dynamodb: runtime.tracer.captureAWSv3Client(new DynamoDBClient({})),
  idempotencyTable: requireEnv('CLEARANCE_IDEMPOTENCY_TABLE'),
  alertsTopicArn,
  // The digest goes to the alerts topic only; this function publishes nothing to operations.
  operationsTopicArn: optionalEnv('CLEARANCE_OPERATIONS_TOPIC_ARN') ?? alertsTopicArn,
});

/** Summarize: the fleet run's report in the bucket and its one digest message. */
export const handler = lambdaHandler(
  runtime,
  fleetSummarizeHandler({
    store: new S3ObjectStore({
      client: runtime.tracer.captureAWSv3Client(new S3Client({})),
      bucket,
    }),
    notifier,
    clock: () => new Date(),
    link: (key) => `s3://${bucket}/${key}`,
  }),
);
