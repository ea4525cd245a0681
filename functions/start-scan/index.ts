import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { ecrClientsByRegion } from '../../shared/aws/ecr/auth';
import { EcrImageOpener } from '../../shared/aws/ecr/image-opener';
import { recordingPorts } from '../../shared/aws/dynamodb/pipeline-tables';
import { lambdaEnvironment, lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda/runtime';
import { SfnExecutionStarter } from '../../shared/aws/sfn/execution-starter';
import { repositoryFilter } from '../../shared/fleet/repositories';
import { START_SCAN_STEP } from '../../shared/pipeline/start-scan';
import { bindStep } from '../../shared/pipeline/step-binding';

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
    opener: new EcrImageOpener({
      clientFor: ecrClientsByRegion((client) => runtime.tracer.captureAWSv3Client(client)),
    }),
  }),
);
