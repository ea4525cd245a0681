import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDbAuditLog } from '../../shared/aws/dynamodb-audit-log';
import { DynamoDbVerdictStore } from '../../shared/aws/dynamodb-verdict-store';
import { DynamoDbVulnerabilityStore } from '../../shared/aws/dynamodb-vulnerability-store';
import { loadOnce, policyFromSource } from '../../shared/aws/evaluation-settings';
import { lambdaHandler, lambdaRuntime, requireEnv } from '../../shared/aws/lambda-runtime';
import { S3ObjectStore } from '../../shared/aws/s3-object-store';
import { stepErrorOf } from '../../shared/pipeline/errors';
import { fleetScanItemHandler } from './handler';

const runtime = lambdaRuntime();
const s3 = runtime.tracer.captureAWSv3Client(new S3Client({}));
const dynamodb = runtime.tracer.captureAWSv3Client(new DynamoDBClient({}));
const store = new S3ObjectStore({ client: s3, bucket: requireEnv('CLEARANCE_BUCKET') });
const verdicts = new DynamoDbVerdictStore({
  client: dynamodb,
  tableName: requireEnv('CLEARANCE_IMAGES_TABLE'),
});
const audit = new DynamoDbAuditLog({
  client: dynamodb,
  tableName: requireEnv('CLEARANCE_AUDIT_TABLE'),
});
const vulnerabilities = new DynamoDbVulnerabilityStore({
  client: dynamodb,
  tableName: requireEnv('CLEARANCE_VULNERABILITY_TABLE'),
});
const policySource = requireEnv('CLEARANCE_POLICY');

// The policy is read once, on the first invocation (no top-level await in CommonJS).
const ready = loadOnce(async () =>
  fleetScanItemHandler({
    store,
    verdicts,
    audit,
    vulnerabilities,
    policy: await policyFromSource(policySource, s3),
    clock: () => new Date(),
  }),
);

/** CheckImage: one fleet item re-checked against current data and policy, or sent to ScanImage. */
export const handler = lambdaHandler(runtime, async (event) => {
  const check = await ready().catch((error: unknown) => {
    throw stepErrorOf(error);
  });
  return check(event);
});
