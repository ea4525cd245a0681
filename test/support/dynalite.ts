import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type AttributeDefinition,
  type DynamoDBClientConfig,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import {
  VULNERABILITY_TABLE_ATTRIBUTES,
  VULNERABILITY_TABLE_KEY_SCHEMA,
} from '../../shared/aws/dynamodb/vulnerability-store';

type Dynalite = (options: {
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}) => Server;
// dynalite ships no type declarations.
const dynalite = createRequire(__filename)('dynalite') as Dynalite;

/** Credentials dynalite accepts and nothing else does; tests check they never reach a message. */
export const FAKE_CREDENTIALS = {
  accessKeyId: 'AKIDDYNALITETEST0000',
  secretAccessKey: 'dynalite-fake-secret-key-0000',
};

export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>` of the server of this test file. */
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  /** A fresh, empty table (the vulnerability store's unless told), made for each test. */
  readonly tableName: string;
}

/** What a table is made of: its key schema, attribute definitions and indexes. */
export interface TableShape {
  readonly keySchema: readonly KeySchemaElement[];
  readonly attributes: readonly AttributeDefinition[];
  readonly globalSecondaryIndexes?: readonly GlobalSecondaryIndex[];
}

/** The vulnerability store's table: what {@link useDynalite} makes unless told otherwise. */
export const VULNERABILITY_TABLE: TableShape = {
  keySchema: VULNERABILITY_TABLE_KEY_SCHEMA,
  attributes: VULNERABILITY_TABLE_ATTRIBUTES,
};

/**
 * An in-memory dynalite server on 127.0.0.1 (a free port) for the tests of one file, stopped
 * after them, with a new table of `shape` (named `<prefix>-<n>`) before each test.
 */
export function useDynalite(
  shape: TableShape = VULNERABILITY_TABLE,
  prefix = 'vulnerabilities',
): () => LocalDynamoDb {
  let server: Server | undefined;
  let endpoint = '';
  let client: DynamoDBClient | undefined;
  let tableName = '';
  let tables = 0;
  beforeAll(async () => {
    server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(0, '127.0.0.1', resolve);
    });
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = dynamoDbClient(endpoint);
  });
  beforeEach(async () => {
    tableName = `${prefix}-${++tables}`;
    await createTable(client!, tableName, shape.keySchema, shape.attributes, {
      globalSecondaryIndexes: shape.globalSecondaryIndexes,
    });
  });
  afterAll(async () => {
    client?.destroy();
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
  });
  return () => ({ endpoint, client: client!, tableName });
}

/** A client for a local endpoint, with fake static credentials. */
export function dynamoDbClient(
  endpoint: string,
  options: Omit<DynamoDBClientConfig, 'endpoint' | 'credentials'> = {},
): DynamoDBClient {
  return new DynamoDBClient({
    region: 'us-east-1',
    ...options,
    endpoint,
    credentials: FAKE_CREDENTIALS,
  });
}

/**
 * Creates a table as the CDK stack will (on-demand, the adapter's exported key schema and
 * attributes, its indexes) and waits until it is active.
 */
export async function createTable(
  client: DynamoDBClient,
  name: string,
  keySchema: readonly KeySchemaElement[],
  attributes: readonly AttributeDefinition[],
  options: { globalSecondaryIndexes?: readonly GlobalSecondaryIndex[] | undefined } = {},
): Promise<void> {
  const indexes = options.globalSecondaryIndexes;
  await client.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [...keySchema],
      AttributeDefinitions: [...attributes],
      BillingMode: 'PAY_PER_REQUEST',
      ...(indexes !== undefined && indexes.length > 0 && { GlobalSecondaryIndexes: [...indexes] }),
    }),
  );
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every(
      (index) => index.IndexStatus === 'ACTIVE',
    );
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
