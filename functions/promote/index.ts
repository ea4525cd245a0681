import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { EcrRegistryWriter } from '../../shared/aws/ecr/registry-writer';
import { recordingPorts } from '../../shared/aws/dynamodb/pipeline-tables';
import {
  lambdaHandler,
  lambdaRuntime,
  optionalEnv,
  requireEnv,
} from '../../shared/aws/lambda/runtime';
import { promotionTagPattern, windowSeconds } from '../../shared/pipeline/settings';
import { promoteHandler } from './handler';

const runtime = lambdaRuntime();
const dynamodb = runtime.tracer.captureAWSv3Client(new DynamoDBClient({}));
// The function's region: the promotion repository is in the registry the pushes come from.
const ecr = runtime.tracer.captureAWSv3Client(new ECRClient({}));

/** Promote: a passing image's exact manifest copied to the promotion repository and tag. */
export const handler = lambdaHandler(
  runtime,
  promoteHandler({
    registry: new EcrRegistryWriter({ client: ecr }),
    ...recordingPorts(dynamodb),
    target: {
      repository: requireEnv('CLEARANCE_PROMOTION_REPOSITORY'),
      tagPattern: promotionTagPattern(optionalEnv('CLEARANCE_PROMOTION_TAG') ?? '{tag}'),
      windowSeconds: windowSeconds(requireEnv('CLEARANCE_TRIGGER_WINDOW_SECONDS')),
    },
  }),
);
