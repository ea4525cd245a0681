import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { eventPublisherOf } from '../../shared/aws/eventbridge';
import { lambdaEnvironment, lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda';
import { SnsNotifier } from '../../shared/aws/sns';
import { NOTIFY_STEP } from '../../shared/notify';
import { bindStep } from '../../shared/pipeline';

const runtime = lambdaRuntime();
const env = lambdaEnvironment('notify');
const dynamodb = runtime.tracer.captureAWSv3Client(new DynamoDBClient({}));
const notifier = new SnsNotifier({
  sns: runtime.tracer.captureAWSv3Client(new SNSClient({})),
  dynamodb,
  idempotencyTable: env.idempotencyTable,
  alertsTopicArn: env.alertsTopicArn,
  operationsTopicArn: env.operationsTopicArn,
});
const events = eventPublisherOf({
  ...env,
  client: () => runtime.tracer.captureAWSv3Client(new EventBridgeClient({})),
  dynamodb,
});

/**
 * Notify and NotifyOperations: changed verdicts to the alerts topic, failures to operations, and
 * (publishEvents) every verdict's and failure's event to the default bus, once each.
 */
export const handler = lambdaHandler(
  runtime,
  bindStep(NOTIFY_STEP, { notifier, events, link: (key) => `s3://${env.bucket}/${key}` }),
);
