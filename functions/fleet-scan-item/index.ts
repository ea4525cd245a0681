import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { recordingPorts } from '../../shared/aws/dynamodb/pipeline-tables';
import { DynamoDbVulnerabilityStore } from '../../shared/aws/dynamodb/vulnerability-store';
import { loadOnce, policyFromSource } from '../../shared/aws/lambda/evaluation-settings';
import { lambdaHandler, lambdaRuntime, requireEnv } from '../../shared/aws/lambda/runtime';
import { S3ObjectStore } from '../../shared/aws/s3/object-store';
import { coverageSettings } from '../../shared/pipeline/coverage-settings';
import { stepErrorOf } from '../../shared/pipeline/errors';
import { fleetScanItemHandler } from './handler';

const runtime = lambdaRuntime();
const s3 = runtime.tracer.captureAWSv3Client(new S3Client({}));
const dynamodb = runtime.tracer.captureAWSv3Client(new DynamoDBClient({}));
const store = new S3ObjectStore({ client: s3, bucket: requireEnv('CLEARANCE_BUCKET') });
const recording = recordingPorts(dynamodb);
const vulnerabilities = new DynamoDbVulnerabilityStore({
  client: dynamodb,
  tableName: requireEnv('CLEARANCE_VULNERABILITY_TABLE'),
});
const policySource = requireEnv('CLEARANCE_POLICY');
const coverage = coverageSettings(process.env);

// The policy is read once, on the first invocation (no top-level await in CommonJS).
const ready = loadOnce(async () =>
  fleetScanItemHandler({
    ...recording,
    store,
    vulnerabilities,
    policy: await policyFromSource(policySource, s3),
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
