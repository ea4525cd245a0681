import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { lambdaHandler, lambdaRuntime, requireEnv } from '../../shared/aws/lambda/runtime';
import { auditTrail } from '../../shared/aws/dynamodb/pipeline-tables';
import { S3ObjectStore } from '../../shared/aws/s3/object-store';
import { SecretsManagerStore } from '../../shared/aws/secrets-manager/secret-store';
import { registryTokenRotator, verdictSigningKeyRotator } from '../../shared/rotation';
import { rotateSecretHandler } from './handler';

const runtime = lambdaRuntime();
const clock = () => new Date();
const keys = new S3ObjectStore({
  client: runtime.tracer.captureAWSv3Client(new S3Client({})),
  bucket: requireEnv('CLEARANCE_BUCKET'),
});

/** Secrets Manager's rotation steps for the secrets tagged `clearance:rotator`. */
export const handler = lambdaHandler(
  runtime,
  rotateSecretHandler({
    store: new SecretsManagerStore({
      client: runtime.tracer.captureAWSv3Client(new SecretsManagerClient({})),
    }),
    rotators: [verdictSigningKeyRotator({ store: keys, clock }), registryTokenRotator()],
    log: runtime.logger,
    clock,
    audit: auditTrail(runtime.tracer.captureAWSv3Client(new DynamoDBClient({}))),
  }),
);
