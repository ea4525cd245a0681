import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { AUDIT_ANCHOR_STEP } from '../../shared/handlers';
import { lambdaEnvironment, lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda';
import { auditTrail } from '../../shared/aws/dynamodb';
import { S3AnchorStore } from '../../shared/aws/s3';
import { bindStep } from '../../shared/pipeline';

const runtime = lambdaRuntime();
const env = lambdaEnvironment('audit-anchor');
const dynamodb = runtime.tracer.captureAWSv3Client(new DynamoDBClient({}));
const s3 = runtime.tracer.captureAWSv3Client(new S3Client({}));

/** AuditAnchor: the audit chain's head, hourly, into the Object Lock bucket. */
export const handler = lambdaHandler(
  runtime,
  bindStep(AUDIT_ANCHOR_STEP, {
    log: auditTrail(dynamodb, env.auditTable),
    anchors: new S3AnchorStore({ client: s3, bucket: env.anchorsBucket }),
    clock: () => new Date(),
  }),
);
