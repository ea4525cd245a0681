import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { EcrRegistryWriter } from '../../shared/aws/ecr';
import { recordingPorts } from '../../shared/aws/dynamodb';
import { lambdaEnvironment, lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda';
import { PROMOTE_STEP } from '../../shared/pipeline';
import { bindStep } from '../../shared/pipeline';

const runtime = lambdaRuntime();
const env = lambdaEnvironment('promote');
const dynamodb = runtime.tracer.captureAWSv3Client(new DynamoDBClient({}));
// The function's region: the promotion repository is in the registry the pushes come from.
const ecr = runtime.tracer.captureAWSv3Client(new ECRClient({}));

/** Promote: a passing image's exact manifest copied to the promotion repository and tag. */
export const handler = lambdaHandler(
  runtime,
  bindStep(PROMOTE_STEP, {
    registry: new EcrRegistryWriter({ client: ecr }),
    ...recordingPorts(dynamodb, env),
    target: {
      repository: env.promotionRepository,
      tagPattern: env.promotionTag,
      windowSeconds: env.triggerWindowSeconds,
    },
  }),
);
