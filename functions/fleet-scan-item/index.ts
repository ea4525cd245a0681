import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { recordingPorts } from '../../shared/aws/dynamodb';
import { eventPublisherOf } from '../../shared/aws/eventbridge';
import { DynamoDbVulnerabilityStore } from '../../shared/aws/dynamodb';
import { loadOnce, policyFromSource } from '../../shared/aws/lambda';
import { lambdaEnvironment, lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda';
import { S3ObjectStore } from '../../shared/aws/s3';
import { SecurityHubFindings } from '../../shared/aws/securityhub';
import { CHECK_IMAGE_STEP } from '../../shared/fleet';
import { coverageSettings } from '../../shared/pipeline';
import { stepErrorOf } from '../../shared/pipeline';
import { bindStep } from '../../shared/pipeline';

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
// With `securityHub` on, the re-checked findings are published as a scan's are.
const securityHub = env.securityHubProductArn && {
  hub: new SecurityHubFindings({
    client: runtime.tracer.captureAWSv3Client(new SecurityHubClient({})),
  }),
  productArn: env.securityHubProductArn,
  clock: () => new Date(),
};

// With `publishEvents` on, a verdict the re-check changed is put on the default bus, once.
const events = eventPublisherOf({
  ...env,
  client: () => runtime.tracer.captureAWSv3Client(new EventBridgeClient({})),
  dynamodb,
});

// The policy is read once, on the first invocation (no top-level await in CommonJS).
const ready = loadOnce(async () =>
  bindStep(CHECK_IMAGE_STEP, {
    ...recording,
    store,
    vulnerabilities,
    policy: await policyFromSource(env.policy, s3),
    coverage,
    ...(securityHub && { securityHub }),
    ...(events && { events, link: (key: string) => `s3://${env.bucket}/${key}` }),
  }),
);

/** CheckImage: one fleet item re-checked against current data and policy, or sent to ScanImage. */
export const handler = lambdaHandler(runtime, async (event) => {
  const check = await ready().catch((error: unknown) => {
    throw stepErrorOf(error);
  });
  return check(event);
});
