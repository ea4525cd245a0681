import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import {
  lambdaHandler,
  lambdaRuntime,
  optionalEnv,
  requireEnv,
} from '../../shared/aws/lambda/runtime';
import { auditTrail } from '../../shared/aws/dynamodb/pipeline-tables';
import { S3ObjectStore } from '../../shared/aws/s3/object-store';
import { SecretsManagerStore } from '../../shared/aws/secrets-manager/secret-store';
import { SnsNotifier } from '../../shared/aws/sns/notifier';
import { parseHygieneSettings, secretHygiene } from '../../shared/rotation';
import { fleetSummarizeHandler } from './handler';

const runtime = lambdaRuntime();
const bucket = requireEnv('CLEARANCE_BUCKET');
const alertsTopicArn = requireEnv('CLEARANCE_ALERTS_TOPIC_ARN');
const dynamodb = runtime.tracer.captureAWSv3Client(new DynamoDBClient({}));
const notifier = new SnsNotifier({
  sns: runtime.tracer.captureAWSv3Client(new SNSClient({})),
  dynamodb,
  idempotencyTable: requireEnv('CLEARANCE_IDEMPOTENCY_TABLE'),
  alertsTopicArn,
  // The digest goes to the alerts topic only; this function publishes nothing to operations.
  operationsTopicArn: optionalEnv('CLEARANCE_OPERATIONS_TOPIC_ARN') ?? alertsTopicArn,
});

// The secret hygiene check runs where the stack configured it (findings to the audit trail).
const hygiene = optionalEnv('CLEARANCE_SECRET_HYGIENE');
const checkSecrets =
  hygiene === undefined
    ? undefined
    : secretHygiene({
        lister: new SecretsManagerStore({
          client: runtime.tracer.captureAWSv3Client(new SecretsManagerClient({})),
        }),
        settings: parseHygieneSettings(hygiene),
        audit: auditTrail(dynamodb),
      });

/** Summarize: the fleet run's report in the bucket and its one digest message. */
export const handler = lambdaHandler(
  runtime,
  fleetSummarizeHandler({
    store: new S3ObjectStore({
      client: runtime.tracer.captureAWSv3Client(new S3Client({})),
      bucket,
    }),
    notifier,
    clock: () => new Date(),
    link: (key) => `s3://${bucket}/${key}`,
    secretHygiene: checkSecrets,
  }),
);
