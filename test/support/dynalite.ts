import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import {
  VULNERABILITY_TABLE_ATTRIBUTES,
  VULNERABILITY_TABLE_KEY_SCHEMA,
} from '../../shared/aws/dynamodb-vulnerability-store';

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
  /** A fresh, empty table with the vulnerability store's key schema, made for each test. */
  readonly tableName: string;
}

/**
 * An in-memory dynalite server on 127.0.0.1 (a free port) for the tests of one file, stopped
 * after them, with a new vulnerability table before each test.
 */
export function useDynalite(): () => LocalDynamoDb {
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
    tableName = `vulnerabilities-${++tables}`;
    await createVulnerabilityTable(client!, tableName);
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

/** Creates the table as the CDK stack will (on-demand, the exported key schema) and waits. */
async function createVulnerabilityTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [...VULNERABILITY_TABLE_KEY_SCHEMA],
      AttributeDefinitions: [...VULNERABILITY_TABLE_ATTRIBUTES],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
