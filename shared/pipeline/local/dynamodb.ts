import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  type AttributeDefinition,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';

/*
 * DynamoDB for `clearance pipeline run`: dynalite (DynamoDB's wire protocol over LevelDB) in
 * this process on 127.0.0.1, kept in a directory so that verdicts and audit events outlive the
 * run (the next run of the same image sees the last verdict, as the cloud would).
 */

type Dynalite = (options: { path?: string; createTableMs?: number }) => Server;

/** One table the pipeline uses: its name and key schema, as the CDK app declares it. */
export interface TableSpec {
  readonly name: string;
  readonly keySchema: readonly KeySchemaElement[];
  readonly attributes: readonly AttributeDefinition[];
  readonly indexes?: readonly GlobalSecondaryIndex[];
}

export interface LocalDynamoDb {
  readonly client: DynamoDBClient;
  close(): Promise<void>;
}

/** Credentials dynalite accepts; nothing real is ever sent. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Starts dynalite on a free loopback port over `path` and creates the tables it lacks. */
export async function startLocalDynamoDb(
  path: string,
  tables: readonly TableSpec[],
): Promise<LocalDynamoDb> {
  // Loaded on demand: only `pipeline run` needs it, and it brings a native LevelDB binding.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite = require('dynalite') as Dynalite;
  const server = dynalite({ path, createTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'local',
    credentials: LOCAL_CREDENTIALS,
  });
  await ensureTables(client, tables);
  return {
    client,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function ensureTables(client: DynamoDBClient, tables: readonly TableSpec[]): Promise<void> {
  const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames ?? []);
  const missing = tables.filter((t) => !existing.has(t.name));
  for (const table of missing)
    await client.send(
      new CreateTableCommand({
        TableName: table.name,
        KeySchema: [...table.keySchema],
        AttributeDefinitions: [...table.attributes],
        ...(table.indexes !== undefined && { GlobalSecondaryIndexes: [...table.indexes] }),
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  // dynalite answers ResourceNotFound until a new table (and its indexes) is ACTIVE.
  for (const table of missing) await untilActive(client, table.name);
}

async function untilActive(client: DynamoDBClient, name: string): Promise<void> {
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    const indexes = Table?.GlobalSecondaryIndexes ?? [];
    if (Table?.TableStatus === 'ACTIVE' && indexes.every((i) => i.IndexStatus === 'ACTIVE')) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
