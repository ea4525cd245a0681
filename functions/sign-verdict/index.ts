import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ecrArtifactPusherFor } from '../../shared/aws/ecr/artifact-pusher';
import { ecrClientsByRegion } from '../../shared/aws/ecr/auth';
import { EcrImageOpener } from '../../shared/aws/ecr/image-opener';
import { lambdaHandler, lambdaRuntime, requireEnv } from '../../shared/aws/lambda/runtime';
import { windowSeconds } from '../../shared/pipeline/settings';
import { recordingPorts } from '../../shared/aws/dynamodb/pipeline-tables';
import { S3ObjectStore } from '../../shared/aws/s3/object-store';
import { SecretsManagerSigningKey } from '../../shared/aws/secrets-manager/signing-key';
import { signVerdictHandler } from './handler';

const runtime = lambdaRuntime();
const s3 = runtime.tracer.captureAWSv3Client(new S3Client({}));
const dynamodb = runtime.tracer.captureAWSv3Client(new DynamoDBClient({}));
const { verdicts } = recordingPorts(dynamodb);
const secrets = runtime.tracer.captureAWSv3Client(new SecretsManagerClient({}));
const signingKey = new SecretsManagerSigningKey({
  client: secrets,
  secretId: requireEnv('CLEARANCE_SIGNING_SECRET_ARN'),
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
  signVerdictHandler({
    signingKey: () => signingKey.current(),
    objects: new S3ObjectStore({ client: s3, bucket: requireEnv('CLEARANCE_BUCKET') }),
    opener: new EcrImageOpener({ clientFor: ecrClient }),
    pusherFor: (image) => ecrArtifactPusherFor(image.registry, ecrClient),
    verdicts,
    windowSeconds: windowSeconds(requireEnv('CLEARANCE_TRIGGER_WINDOW_SECONDS')),
    clock: () => new Date(),
  }),
);
