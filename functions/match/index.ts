import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDbVulnerabilityStore } from '../../shared/aws/dynamodb';
import { lambdaEnvironment, lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda';
import { S3ObjectStore } from '../../shared/aws/s3';
import { MATCH_STEP } from '../../shared/pipeline';
import { bindStep } from '../../shared/pipeline';

const runtime = lambdaRuntime();
const env = lambdaEnvironment('match');
const s3 = runtime.tracer.captureAWSv3Client(new S3Client({}));
const dynamodb = runtime.tracer.captureAWSv3Client(new DynamoDBClient({}));
const store = new S3ObjectStore({ client: s3, bucket: env.bucket });
const vulnerabilities = new DynamoDbVulnerabilityStore({
  client: dynamodb,
  tableName: env.vulnerabilityTable,
});

/** Match: a platform's inventory against the vulnerability table; findings into its report. */
export const handler = lambdaHandler(
  runtime,
  bindStep(MATCH_STEP, { store, vulnerabilities, clock: () => new Date() }),
);
