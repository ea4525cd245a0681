import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbAuditLog } from './audit-log';
import { DynamoDbVerdictStore } from './verdict-store';

/*
 * The tables the recording functions share, named as each function reads them from its
 * environment at cold start, with the system clock.
 */

/** The audit trail in table `tableName`. */
export function auditTrail(client: DynamoDBClient, tableName: string): DynamoDbAuditLog {
  return new DynamoDbAuditLog({ client, tableName });
}

/** The verdicts of the images table, the audit trail, and the clock they are stamped by. */
export function recordingPorts(
  client: DynamoDBClient,
  tables: { readonly imagesTable: string; readonly auditTable: string },
): {
  readonly verdicts: DynamoDbVerdictStore;
  readonly audit: DynamoDbAuditLog;
  readonly clock: () => Date;
} {
  return {
    verdicts: new DynamoDbVerdictStore({ client, tableName: tables.imagesTable }),
    audit: auditTrail(client, tables.auditTable),
    clock: () => new Date(),
  };
}
