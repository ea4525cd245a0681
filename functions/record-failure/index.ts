import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { auditTrail } from '../../shared/aws/dynamodb';
import { lambdaEnvironment, lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda';
import { RECORD_FAILURE_STEP } from '../../shared/pipeline';
import { bindStep } from '../../shared/pipeline';

const runtime = lambdaRuntime();
const env = lambdaEnvironment('record-failure');
const dynamodb = runtime.tracer.captureAWSv3Client(new DynamoDBClient({}));

/** RecordFailure: `scan.failed` in the audit trail, and the failure for NotifyOperations. */
export const handler = lambdaHandler(
  runtime,
  bindStep(RECORD_FAILURE_STEP, {
    audit: auditTrail(dynamodb, env.auditTable),
    clock: () => new Date(),
  }),
);
