import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDbVerdictStore } from '../../shared/aws/dynamodb';
import { ecrArtifactPusherFor } from '../../shared/aws/ecr';
import { ecrClientsByRegion } from '../../shared/aws/ecr';
import { EcrImageOpener } from '../../shared/aws/ecr';
import { lambdaEnvironment, lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda';
import { S3ObjectStore } from '../../shared/aws/s3';
import { SecretsManagerSigningKey } from '../../shared/aws/secrets-manager';
import { SIGN_VERDICT_STEP } from '../../shared/pipeline';
import { bindStep } from '../../shared/pipeline';

const runtime = lambdaRuntime();
const env = lambdaEnvironment('sign-verdict');
const s3 = runtime.tracer.captureAWSv3Client(new S3Client({}));
const dynamodb = runtime.tracer.captureAWSv3Client(new DynamoDBClient({}));
// The images table only: the attestation's push is marked there, nothing is audited.
const verdicts = new DynamoDbVerdictStore({ client: dynamodb, tableName: env.imagesTable });
const secrets = runtime.tracer.captureAWSv3Client(new SecretsManagerClient({}));
const signingKey = new SecretsManagerSigningKey({
  client: secrets,
  secretId: env.signingSecretArn,
});
/** One ECR client per registry region, shared by the opener and the pusher. */
const ecrClient = ecrClientsByRegion((client) => runtime.tracer.captureAWSv3Client(client));

/**
 * SignVerdict: the verdict signed with the key of Secrets Manager (read on first use, cached),
 * its public key published under `verdict-keys/`, the attestation put in the image's ECR
 * repository as a referrer (its push marked in the images table, so StartScan skips it).
 */
export const handler = lambdaHandler(
  runtime,
  bindStep(SIGN_VERDICT_STEP, {
    signingKey: () => signingKey.current(),
    objects: new S3ObjectStore({ client: s3, bucket: env.bucket }),
    opener: new EcrImageOpener({ clientFor: ecrClient }),
    pusherFor: (image) => ecrArtifactPusherFor(image.registry, ecrClient),
    verdicts,
    windowSeconds: env.triggerWindowSeconds,
    clock: () => new Date(),
  }),
);
