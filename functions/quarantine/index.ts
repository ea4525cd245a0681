import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { DynamoDbAuditLog } from '../../shared/aws/dynamodb-audit-log';
import { DynamoDbVerdictStore } from '../../shared/aws/dynamodb-verdict-store';
import { EcrRegistryWriter } from '../../shared/aws/ecr-registry-writer';
import { lambdaHandler, lambdaRuntime, requireEnv } from '../../shared/aws/lambda-runtime';
import { quarantineMode, windowSeconds } from '../../shared/pipeline/settings';
import { quarantineHandler } from './handler';

const runtime = lambdaRuntime();
const dynamodb = runtime.tracer.captureAWSv3Client(new DynamoDBClient({}));
const ecr = runtime.tracer.captureAWSv3Client(new ECRClient({}));

/** Quarantine: a failing digest blocked in the images table, and tagged in mode `tag`. */
export const handler = lambdaHandler(
  runtime,
  quarantineHandler({
    registry: new EcrRegistryWriter({ client: ecr }),
    verdicts: new DynamoDbVerdictStore({
      client: dynamodb,
      tableName: requireEnv('CLEARANCE_IMAGES_TABLE'),
    }),
    audit: new DynamoDbAuditLog({
      client: dynamodb,
      tableName: requireEnv('CLEARANCE_AUDIT_TABLE'),
    }),
    clock: () => new Date(),
    mode: quarantineMode(requireEnv('CLEARANCE_QUARANTINE')),
    windowSeconds: windowSeconds(requireEnv('CLEARANCE_TRIGGER_WINDOW_SECONDS')),
  }),
);
