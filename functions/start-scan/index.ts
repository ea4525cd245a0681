import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { ecrClientsByRegion } from '../../shared/aws/ecr/auth';
import { EcrImageOpener } from '../../shared/aws/ecr/image-opener';
import { recordingPorts } from '../../shared/aws/dynamodb/pipeline-tables';
import { lambdaHandler, lambdaRuntime, requireEnv } from '../../shared/aws/lambda/runtime';
import { SfnExecutionStarter } from '../../shared/aws/sfn/execution-starter';
import { parseRepositoryGlobs, repositoryFilter } from '../../shared/fleet/repositories';
import { indexWaitSeconds, windowSeconds } from '../../shared/pipeline/settings';
import { startScanHandler } from './handler';

const runtime = lambdaRuntime();
const dynamodb = runtime.tracer.captureAWSv3Client(new DynamoDBClient({}));

/**
 * StartScan, the target of the ECR push rule: one ScanImage execution per digest and window;
 * artifacts and the platform manifests of a pushed index start none.
 */
export const handler = lambdaHandler(
  runtime,
  startScanHandler({
    starter: new SfnExecutionStarter({
      client: runtime.tracer.captureAWSv3Client(new SFNClient({})),
      stateMachineArn: requireEnv('CLEARANCE_SCAN_STATE_MACHINE_ARN'),
    }),
    ...recordingPorts(dynamodb),
    watches: repositoryFilter(parseRepositoryGlobs(requireEnv('CLEARANCE_REPOSITORIES'))),
    windowSeconds: windowSeconds(requireEnv('CLEARANCE_TRIGGER_WINDOW_SECONDS')),
    indexWaitSeconds: indexWaitSeconds(requireEnv('CLEARANCE_INDEX_WAIT_SECONDS')),
    opener: new EcrImageOpener({
      clientFor: ecrClientsByRegion((client) => runtime.tracer.captureAWSv3Client(client)),
    }),
  }),
);
