import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { EcrRegistryWriter } from '../../shared/aws/ecr';
import { recordingPorts } from '../../shared/aws/dynamodb';
import { lambdaEnvironment, lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda';
import { QUARANTINE_STEP } from '../../shared/pipeline';
import { bindStep } from '../../shared/pipeline';

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
