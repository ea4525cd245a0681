import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DirectoryAnchorStore, type AnchorStore } from '../../audit';
import {
  AUDIT_TABLE_ATTRIBUTES,
  AUDIT_TABLE_INDEXES,
  AUDIT_TABLE_KEY_SCHEMA,
  DynamoDbAuditLog,
} from '../../aws/dynamodb';
import { S3AnchorStore } from '../../aws/s3';
import { startLocalDynamoDb } from '../../local';
import { LOCAL_LAYOUT, LOCAL_TABLES } from '../../local';
import { UsageError } from '../errors';

/** Where the audit trail is read: the local pipeline's state, or the deployed table and bucket. */
export interface AuditSourceFlags {
  readonly stateDir: string;
  readonly table?: string;
  readonly anchorsBucket?: string;
  readonly region?: string;
}

/** The trail to read, its anchors, and what to close afterwards. */
export interface AuditSource {
  readonly log: DynamoDbAuditLog;
  /** Undefined when none was named (a cloud query needs none). */
  readonly anchors?: AnchorStore;
  /** What the trail is, for the report's first line. */
  readonly name: string;
  close(): Promise<void>;
}

/**
 * With `--table`, the deployed audit table (and `--anchors-bucket`) through clients of the
 * default credential chain; otherwise the local pipeline's state directory: its dynalite tables
 * (`dynamodb/`) and its anchors (`anchors/`).
 */
export async function openAuditSource(flags: AuditSourceFlags): Promise<AuditSource> {
  if (flags.table !== undefined) return cloudSource(flags, flags.table);
  if (flags.anchorsBucket !== undefined)
    throw new UsageError('--anchors-bucket reads the deployed trail: give --table too');
  const tables = join(flags.stateDir, LOCAL_LAYOUT.dynamodb);
  if (!existsSync(tables))
    throw new UsageError(
      `no local audit trail in ${flags.stateDir}: run "clearance pipeline run" first, or give --table and --anchors-bucket for the deployed one`,
    );
  const dynamodb = await startLocalDynamoDb(tables, [
    {
      name: LOCAL_TABLES.audit,
      keySchema: AUDIT_TABLE_KEY_SCHEMA,
      attributes: AUDIT_TABLE_ATTRIBUTES,
      indexes: AUDIT_TABLE_INDEXES,
    },
  ]);
  return {
    log: new DynamoDbAuditLog({ client: dynamodb.client, tableName: LOCAL_TABLES.audit }),
    anchors: new DirectoryAnchorStore(join(flags.stateDir, LOCAL_LAYOUT.anchors)),
    name: `local trail in ${flags.stateDir}`,
    close: () => dynamodb.close(),
  };
}

function cloudSource(flags: AuditSourceFlags, table: string): AuditSource {
  const region = flags.region === undefined ? {} : { region: flags.region };
  const dynamodb = new DynamoDBClient(region);
  const s3 = new S3Client(region);
  const bucket = flags.anchorsBucket;
  return {
    log: new DynamoDbAuditLog({ client: dynamodb, tableName: table }),
    ...(bucket !== undefined && { anchors: new S3AnchorStore({ client: s3, bucket }) }),
    name: `table ${table}${bucket === undefined ? '' : `, anchors in s3://${bucket}`}`,
    close: () => {
      dynamodb.destroy();
      s3.destroy();
      return Promise.resolve();
    },
  };
}
