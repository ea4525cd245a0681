import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbAuditLog } from '../../shared/aws/dynamodb-audit-log';
import { lambdaHandler, lambdaRuntime, requireEnv } from '../../shared/aws/lambda-runtime';
import { recordFailureHandler } from './handler';

const runtime = lambdaRuntime();
const dynamodb = runtime.tracer.captureAWSv3Client(new DynamoDBClient({}));

/** RecordFailure: `scan.failed` in the audit trail, and the failure for NotifyOperations. */
export const handler = lambdaHandler(
  runtime,
  recordFailureHandler({
    audit: new DynamoDbAuditLog({
      client: dynamodb,
      tableName: requireEnv('CLEARANCE_AUDIT_TABLE'),
    }),
    clock: () => new Date(),
  }),
);
