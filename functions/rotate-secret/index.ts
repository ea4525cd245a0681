import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { lambdaEnvironment, lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda';
import { auditTrail } from '../../shared/aws/dynamodb';
import { S3ObjectStore } from '../../shared/aws/s3';
import { SecretsManagerStore } from '../../shared/aws/secrets-manager';
import { registryTokenRotator, verdictSigningKeyRotator } from '../../shared/rotation';
import { bindRotation } from '../../shared/rotation';

const runtime = lambdaRuntime();
const env = lambdaEnvironment('rotate-secret');
const clock = () => new Date();
const keys = new S3ObjectStore({
  client: runtime.tracer.captureAWSv3Client(new S3Client({})),
  bucket: env.bucket,
});

/** Secrets Manager's rotation steps for the secrets tagged `clearance:rotator`. */
export const handler = lambdaHandler(
  runtime,
  bindRotation({
    store: new SecretsManagerStore({
      client: runtime.tracer.captureAWSv3Client(new SecretsManagerClient({})),
    }),
    rotators: [verdictSigningKeyRotator({ store: keys, clock }), registryTokenRotator()],
    log: runtime.logger,
    clock,
    audit: auditTrail(runtime.tracer.captureAWSv3Client(new DynamoDBClient({})), env.auditTable),
  }),
);
