import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { EcrRegistryWriter } from '../../shared/aws/ecr/registry-writer';
import { recordingPorts } from '../../shared/aws/dynamodb/pipeline-tables';
import { lambdaEnvironment, lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda/runtime';
import { PROMOTE_STEP } from '../../shared/pipeline/promote';
import { bindStep } from '../../shared/pipeline/step-binding';

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
