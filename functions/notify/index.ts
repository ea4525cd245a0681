import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { lambdaEnvironment, lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda';
import { SnsNotifier } from '../../shared/aws/sns';
import { NOTIFY_STEP } from '../../shared/notify';
import { bindStep } from '../../shared/pipeline';

const runtime = lambdaRuntime();
const env = lambdaEnvironment('notify');
const notifier = new SnsNotifier({
  sns: runtime.tracer.captureAWSv3Client(new SNSClient({})),
  dynamodb: runtime.tracer.captureAWSv3Client(new DynamoDBClient({})),
  idempotencyTable: env.idempotencyTable,
  alertsTopicArn: env.alertsTopicArn,
  operationsTopicArn: env.operationsTopicArn,
});

/** Notify and NotifyOperations: verdicts to the alerts topic, failures to operations, once each. */
export const handler = lambdaHandler(
  runtime,
  bindStep(NOTIFY_STEP, { notifier, link: (key) => `s3://${env.bucket}/${key}` }),
);
