import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { ecrClientsByRegion } from '../../shared/aws/ecr';
import { EcrImageOpener } from '../../shared/aws/ecr';
import { loadOnce, policyFromSource, signatureKeysFrom } from '../../shared/aws/lambda';
import { lambdaEnvironment, lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda';
import { S3ObjectStore } from '../../shared/aws/s3';
import { EVALUATE_STEP } from '../../shared/pipeline';
import { coverageSettings } from '../../shared/pipeline';
import { stepErrorOf } from '../../shared/pipeline';
import { bindStep } from '../../shared/pipeline';

const runtime = lambdaRuntime();
const env = lambdaEnvironment('evaluate');
const s3 = runtime.tracer.captureAWSv3Client(new S3Client({}));
const store = new S3ObjectStore({ client: s3, bucket: env.bucket });
const coverage = coverageSettings(env);
const opener = new EcrImageOpener({
  clientFor: ecrClientsByRegion((client) => runtime.tracer.captureAWSv3Client(client)),
});
const kmsFor = (region: string | undefined) =>
  runtime.tracer.captureAWSv3Client(new KMSClient(region === undefined ? {} : { region }));

// The policy and the keys are read once, on the first invocation (no top-level await in CommonJS).
const ready = loadOnce(async () =>
  bindStep(EVALUATE_STEP, {
    store,
    clock: () => new Date(),
    policy: await policyFromSource(env.policy, s3),
    signatures: { keys: await signatureKeysFrom(env.signatureKeys, kmsFor), opener },
    coverage,
  }),
);

/** Evaluate: signatures and the policy's verdict on a platform; the final report in the bucket. */
export const handler = lambdaHandler(runtime, async (event) => {
  // A failure to load is named by kind too, so that a throttled S3 or KMS call is retried.
  const evaluate = await ready().catch((error: unknown) => {
    throw stepErrorOf(error);
  });
  return evaluate(event);
});
