import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDbVulnerabilityStore } from '../../shared/aws/dynamodb/vulnerability-store';
import { lambdaHandler, lambdaRuntime, requireEnv } from '../../shared/aws/lambda/runtime';
import { S3ObjectStore } from '../../shared/aws/s3/object-store';
import { matchHandler } from './handler';

const runtime = lambdaRuntime();
const s3 = runtime.tracer.captureAWSv3Client(new S3Client({}));
const dynamodb = runtime.tracer.captureAWSv3Client(new DynamoDBClient({}));
const store = new S3ObjectStore({ client: s3, bucket: requireEnv('CLEARANCE_BUCKET') });
const vulnerabilities = new DynamoDbVulnerabilityStore({
  client: dynamodb,
  tableName: requireEnv('CLEARANCE_VULNERABILITY_TABLE'),
});

/** Match: a platform's inventory against the vulnerability table; findings into its report. */
export const handler = lambdaHandler(
  runtime,
  matchHandler({ store, vulnerabilities, clock: () => new Date() }),
);
