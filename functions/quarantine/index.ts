import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { EcrRegistryWriter } from '../../shared/aws/ecr/registry-writer';
import { recordingPorts } from '../../shared/aws/dynamodb/pipeline-tables';
import { lambdaHandler, lambdaRuntime, requireEnv } from '../../shared/aws/lambda/runtime';
import { quarantineMode, windowSeconds } from '../../shared/pipeline/settings';
import { quarantineHandler } from './handler';

const runtime = lambdaRuntime();
const dynamodb = runtime.tracer.captureAWSv3Client(new DynamoDBClient({}));
const ecr = runtime.tracer.captureAWSv3Client(new ECRClient({}));

/** Quarantine: a failing digest blocked in the images table, and tagged in mode `tag`. */
export const handler = lambdaHandler(
  runtime,
  quarantineHandler({
    registry: new EcrRegistryWriter({ client: ecr }),
    ...recordingPorts(dynamodb),
    mode: quarantineMode(requireEnv('CLEARANCE_QUARANTINE')),
    windowSeconds: windowSeconds(requireEnv('CLEARANCE_TRIGGER_WINDOW_SECONDS')),
  }),
);
