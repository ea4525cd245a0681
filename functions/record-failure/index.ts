import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { auditTrail } from '../../shared/aws/dynamodb/pipeline-tables';
import { lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda/runtime';
import { recordFailureHandler } from './handler';

const runtime = lambdaRuntime();
const dynamodb = runtime.tracer.captureAWSv3Client(new DynamoDBClient({}));

/** RecordFailure: `scan.failed` in the audit trail, and the failure for NotifyOperations. */
export const handler = lambdaHandler(
  runtime,
  recordFailureHandler({
    audit: auditTrail(dynamodb),
    clock: () => new Date(),
  }),
);
