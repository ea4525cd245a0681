import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDbVerdictStore } from '../../shared/aws/dynamodb';
import { EcrRegistryPostureCollector } from '../../shared/aws/ecr';
import { EcsInventoryCollector } from '../../shared/aws/ecs';
import { lambdaEnvironment, lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda';
import { S3ObjectStore } from '../../shared/aws/s3';
import { bindStep } from '../../shared/pipeline';
import { POSTURE_STEP, postureJudge } from '../../shared/posture-run';

const runtime = lambdaRuntime();
const env = lambdaEnvironment('posture-scan');
const capture = <C>(client: C): C => runtime.tracer.captureAWSv3Client(client);

/**
 * Posture: the account's ECS services and running tasks and the watched repositories'
 * settings, recorded under `posture/<runId>/`, judged, summarized for the nightly digest.
 */
export const handler = lambdaHandler(
  runtime,
  bindStep(POSTURE_STEP, {
    ecs: new EcsInventoryCollector({ client: capture(new ECSClient({})) }),
    registry: new EcrRegistryPostureCollector({
      client: capture(new ECRClient({})),
      repositories: env.repositories,
    }),
    judge: postureJudge({ clock: () => new Date() }),
    store: new S3ObjectStore({ client: capture(new S3Client({})), bucket: env.bucket }),
    verdicts: new DynamoDbVerdictStore({
      client: capture(new DynamoDBClient({})),
      tableName: env.imagesTable,
    }),
    metrics: runtime.metrics,
  }),
);
