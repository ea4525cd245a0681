import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { lambdaEnvironment, lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda';
import { auditTrail } from '../../shared/aws/dynamodb';
import { S3ObjectStore } from '../../shared/aws/s3';
import { SecretsManagerStore } from '../../shared/aws/secrets-manager';
import { SnsNotifier } from '../../shared/aws/sns';
import { SUMMARIZE_STEP } from '../../shared/fleet';
import { bindStep } from '../../shared/pipeline';
import { secretHygiene } from '../../shared/rotation';

const runtime = lambdaRuntime();
const env = lambdaEnvironment('fleet-summarize');
const dynamodb = runtime.tracer.captureAWSv3Client(new DynamoDBClient({}));
const notifier = new SnsNotifier({
  sns: runtime.tracer.captureAWSv3Client(new SNSClient({})),
  dynamodb,
  idempotencyTable: env.idempotencyTable,
  alertsTopicArn: env.alertsTopicArn,
  // The digest goes to the alerts topic only; this function publishes nothing to operations.
  operationsTopicArn: env.alertsTopicArn,
});

// The secret hygiene check runs where the stack configured it (findings to the audit trail).
const checkSecrets =
  env.secretHygiene === undefined
    ? undefined
    : secretHygiene({
        lister: new SecretsManagerStore({
          client: runtime.tracer.captureAWSv3Client(new SecretsManagerClient({})),
        }),
        settings: env.secretHygiene,
        audit: auditTrail(dynamodb, env.auditTable),
      });

/** Summarize: the fleet run's report in the bucket and its one digest message. */
export const handler = lambdaHandler(
  runtime,
  bindStep(SUMMARIZE_STEP, {
    store: new S3ObjectStore({
      client: runtime.tracer.captureAWSv3Client(new S3Client({})),
      bucket: env.bucket,
    }),
    notifier,
    clock: () => new Date(),
    link: (key) => `s3://${env.bucket}/${key}`,
    secretHygiene: checkSecrets,
  }),
);
