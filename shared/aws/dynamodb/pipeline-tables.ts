import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbAuditLog } from './audit-log';
import { DynamoDbVerdictStore } from './verdict-store';
import { requireEnv } from '../lambda/runtime';

/*
 * The tables the recording functions share, as each reads them from its environment at cold
 * start (CLEARANCE_IMAGES_TABLE, CLEARANCE_AUDIT_TABLE), with the system clock.
 */

/** The audit trail of `CLEARANCE_AUDIT_TABLE`. */
export function auditTrail(client: DynamoDBClient): DynamoDbAuditLog {
  return new DynamoDbAuditLog({ client, tableName: requireEnv('CLEARANCE_AUDIT_TABLE') });
}

/** The verdicts of `CLEARANCE_IMAGES_TABLE`, the audit trail, and the clock they are stamped by. */
export function recordingPorts(client: DynamoDBClient): {
  readonly verdicts: DynamoDbVerdictStore;
  readonly audit: DynamoDbAuditLog;
  readonly clock: () => Date;
} {
  return {
    verdicts: new DynamoDbVerdictStore({ client, tableName: requireEnv('CLEARANCE_IMAGES_TABLE') }),
    audit: auditTrail(client),
    clock: () => new Date(),
  };
}
