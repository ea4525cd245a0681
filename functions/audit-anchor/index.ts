import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { lambdaHandler, lambdaRuntime, requireEnv } from '../../shared/aws/lambda/runtime';
import { auditTrail } from '../../shared/aws/dynamodb/pipeline-tables';
import { S3AnchorStore } from '../../shared/aws/s3/anchor-store';
import { auditAnchorHandler } from './handler';

const runtime = lambdaRuntime();
const dynamodb = runtime.tracer.captureAWSv3Client(new DynamoDBClient({}));
const s3 = runtime.tracer.captureAWSv3Client(new S3Client({}));

/** AuditAnchor: the audit chain's head, hourly, into the Object Lock bucket. */
export const handler = lambdaHandler(
  runtime,
  auditAnchorHandler({
    log: auditTrail(dynamodb),
    anchors: new S3AnchorStore({ client: s3, bucket: requireEnv('CLEARANCE_ANCHORS_BUCKET') }),
    clock: () => new Date(),
  }),
);
