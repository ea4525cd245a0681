import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { eventPublisherOf } from '../../shared/aws/eventbridge';
import { ecrClientsByRegion } from '../../shared/aws/ecr';
import { EcrImageOpener } from '../../shared/aws/ecr';
import { recordingPorts } from '../../shared/aws/dynamodb';
import { lambdaEnvironment, lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda';
import { SfnExecutionStarter } from '../../shared/aws/sfn';
import { repositoryFilter } from '../../shared/fleet';
import { START_SCAN_STEP } from '../../shared/pipeline';
import { bindStep } from '../../shared/pipeline';

const runtime = lambdaRuntime();
const env = lambdaEnvironment('start-scan');
const dynamodb = runtime.tracer.captureAWSv3Client(new DynamoDBClient({}));

/**
 * StartScan, the target of the ECR push rule: one ScanImage execution per digest and window;
 * artifacts and the platform manifests of a pushed index start none.
 */
export const handler = lambdaHandler(
  runtime,
  bindStep(START_SCAN_STEP, {
    starter: new SfnExecutionStarter({
      client: runtime.tracer.captureAWSv3Client(new SFNClient({})),
      stateMachineArn: env.scanStateMachineArn,
    }),
    ...recordingPorts(dynamodb, env),
    watches: repositoryFilter(env.repositories),
    windowSeconds: env.triggerWindowSeconds,
    indexWaitSeconds: env.indexWaitSeconds,
    events: eventPublisherOf({
      ...env,
      client: () => runtime.tracer.captureAWSv3Client(new EventBridgeClient({})),
      dynamodb,
    }),
    opener: new EcrImageOpener({
      clientFor: ecrClientsByRegion((client) => runtime.tracer.captureAWSv3Client(client)),
    }),
  }),
);
