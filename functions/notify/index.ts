import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { lambdaHandler, lambdaRuntime, requireEnv } from '../../shared/aws/lambda/runtime';
import { SnsNotifier } from '../../shared/aws/sns/notifier';
import { notifyHandler } from './handler';

const runtime = lambdaRuntime();
const bucket = requireEnv('CLEARANCE_BUCKET');
const notifier = new SnsNotifier({
  sns: runtime.tracer.captureAWSv3Client(new SNSClient({})),
  dynamodb: runtime.tracer.captureAWSv3Client(new DynamoDBClient({})),
  idempotencyTable: requireEnv('CLEARANCE_IDEMPOTENCY_TABLE'),
  alertsTopicArn: requireEnv('CLEARANCE_ALERTS_TOPIC_ARN'),
  operationsTopicArn: requireEnv('CLEARANCE_OPERATIONS_TOPIC_ARN'),
});

/** Notify and NotifyOperations: verdicts to the alerts topic, failures to operations, once each. */
export const handler = lambdaHandler(
  runtime,
  notifyHandler({ notifier, link: (key) => `s3://${bucket}/${key}` }),
);
