import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { recordingPorts } from '../../shared/aws/dynamodb/pipeline-tables';
import { DynamoDbVulnerabilityStore } from '../../shared/aws/dynamodb/vulnerability-store';
import { loadOnce, policyFromSource } from '../../shared/aws/lambda/evaluation-settings';
import { lambdaEnvironment, lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda/runtime';
import { S3ObjectStore } from '../../shared/aws/s3/object-store';
import { CHECK_IMAGE_STEP } from '../../shared/fleet/scan-item';
import { coverageSettings } from '../../shared/pipeline/coverage-settings';
import { stepErrorOf } from '../../shared/pipeline/errors';
import { bindStep } from '../../shared/pipeline/step-binding';

const runtime = lambdaRuntime();
const env = lambdaEnvironment('fleet-scan-item');
const s3 = runtime.tracer.captureAWSv3Client(new S3Client({}));
const dynamodb = runtime.tracer.captureAWSv3Client(new DynamoDBClient({}));
const store = new S3ObjectStore({ client: s3, bucket: env.bucket });
const recording = recordingPorts(dynamodb, env);
const vulnerabilities = new DynamoDbVulnerabilityStore({
  client: dynamodb,
  tableName: env.vulnerabilityTable,
});
const coverage = coverageSettings(env);

// The policy is read once, on the first invocation (no top-level await in CommonJS).
const ready = loadOnce(async () =>
  bindStep(CHECK_IMAGE_STEP, {
    ...recording,
    store,
    vulnerabilities,
    policy: await policyFromSource(env.policy, s3),
    coverage,
  }),
);

/** CheckImage: one fleet item re-checked against current data and policy, or sent to ScanImage. */
export const handler = lambdaHandler(runtime, async (event) => {
  const check = await ready().catch((error: unknown) => {
    throw stepErrorOf(error);
  });
  return check(event);
});
