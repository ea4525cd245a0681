import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { recordingPorts } from '../../shared/aws/dynamodb';
import { EcsTaskStopper } from '../../shared/aws/ecs';
import { eventPublisherOf } from '../../shared/aws/eventbridge';
import { lambdaEnvironment, lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda';
import { SnsNotifier } from '../../shared/aws/sns';
import { DEPLOYMENT_WATCH_STEP } from '../../shared/deployments';
import { bindStep } from '../../shared/pipeline';

const runtime = lambdaRuntime();
const env = lambdaEnvironment('deployment-watch');
const dynamodb = runtime.tracer.captureAWSv3Client(new DynamoDBClient({}));
const { verdicts, audit } = recordingPorts(dynamodb, env);
const notifier = new SnsNotifier({
  sns: runtime.tracer.captureAWSv3Client(new SNSClient({})),
  dynamodb,
  idempotencyTable: env.idempotencyTable,
  alertsTopicArn: env.alertsTopicArn,
  // Deployment alerts go to the alerts topic only; this function publishes nothing to operations.
  operationsTopicArn: env.alertsTopicArn,
});

/**
 * DeploymentWatch, the target of the `ECS Task State Change` rule: `image.deployed` per running
 * container with its image's verdict, an alert for a failing or unknown one, and under
 * `runtimeEnforcement: stop` the task stopped.
 */
export const handler = lambdaHandler(
  runtime,
  bindStep(DEPLOYMENT_WATCH_STEP, {
    verdicts,
    audit,
    notifier,
    stopper: new EcsTaskStopper({ client: runtime.tracer.captureAWSv3Client(new ECSClient({})) }),
    gate: {
      enforcement: env.runtimeEnforcement,
      clusters: env.runtimeClusters,
      exceptions: env.runtimeExceptions,
    },
    events: eventPublisherOf({
      ...env,
      client: () => runtime.tracer.captureAWSv3Client(new EventBridgeClient({})),
      dynamodb,
    }),
  }),
);
