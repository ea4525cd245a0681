import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { EcrRegistryWriter } from '../../shared/aws/ecr/registry-writer';
import { recordingPorts } from '../../shared/aws/dynamodb/pipeline-tables';
import { lambdaEnvironment, lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda/runtime';
import { QUARANTINE_STEP } from '../../shared/pipeline/quarantine';
import { bindStep } from '../../shared/pipeline/step-binding';

const runtime = lambdaRuntime();
const env = lambdaEnvironment('quarantine');
const dynamodb = runtime.tracer.captureAWSv3Client(new DynamoDBClient({}));
const ecr = runtime.tracer.captureAWSv3Client(new ECRClient({}));

/** Quarantine: a failing digest blocked in the images table, and tagged in mode `tag`. */
export const handler = lambdaHandler(
  runtime,
  bindStep(QUARANTINE_STEP, {
    registry: new EcrRegistryWriter({ client: ecr }),
    ...recordingPorts(dynamodb, env),
    mode: env.quarantine,
    windowSeconds: env.triggerWindowSeconds,
  }),
);
