import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  type AttributeDefinition,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { ClearanceError, isClearanceError, messageOf, type ErrorKind } from '../core';

/*
 * DynamoDB for `clearance pipeline run`: dynalite (DynamoDB's wire protocol over LevelDB) in
 * this process on 127.0.0.1, kept in a directory so that verdicts and audit events outlive the
 * run (the next run of the same image sees the last verdict, as the cloud would).
 */

type Dynalite = (options: { path?: string; createTableMs?: number }) => Server;

/** The part of `level` (LevelDB) used to check a directory before dynalite opens it. */
interface LevelDb {
  open(): Promise<void>;
  keys(): AsyncIterable<unknown>;
  close(): Promise<void>;
}
type Level = new (path: string) => LevelDb;

/**
 * The local pipeline's tables cannot be opened: their directory is held by another process,
 * damaged, or not a directory. `transient` when another process holds it, else `input`.
 */
export class LocalStateError extends ClearanceError {
  readonly code = 'LOCAL_STATE_UNAVAILABLE';

  constructor(
    readonly kind: ErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

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

/**
 * Starts dynalite on a free loopback port over `path` and creates the tables it lacks. Fails
 * with {@link LocalStateError} when the directory cannot be opened: dynalite itself would crash
 * the process from inside its request handlers (an unhandled stream error), so the directory is
 * opened and read through once first.
 */
export async function startLocalDynamoDb(
  path: string,
  tables: readonly TableSpec[],
): Promise<LocalDynamoDb> {
  // Loaded on demand: only `pipeline run` needs it, and it brings a native LevelDB binding.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite = require('dynalite') as Dynalite;
  await checkLevelDb(path);
  const server = dynalite({ path, createTableMs: 0 });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
  } catch (error) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw unavailable(path, error);
  }
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'local',
    credentials: LOCAL_CREDENTIALS,
  });
  const close = async (): Promise<void> => {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  try {
    await ensureTables(client, tables);
  } catch (error) {
    await close();
    throw isClearanceError(error) ? error : unavailable(path, error);
  }
  return { client, close };
}

/**
 * Opens the LevelDB directory, reads every key (which reads every data block) and closes it:
 * a lock held by another process, a damaged CURRENT or MANIFEST, a damaged table or a file in
 * the way then fail here, as an error of ours, instead of inside dynalite.
 */
async function checkLevelDb(path: string): Promise<void> {
  // dynalite's own `level`, loaded as dynalite loads it (a native binding, never bundled).
  const { Level } = createRequire(require.resolve('dynalite'))('level') as { Level: Level };
  const db = new Level(path);
  try {
    await db.open();
    for await (const _ of db.keys());
  } catch (error) {
    throw unavailable(path, error);
  } finally {
    await db.close().catch(() => undefined);
  }
}

/** What stands in the way of the tables' directory, by the error of making it. */
const FILE_IN_THE_WAY: Readonly<Record<string, (stateDir: string, path: string) => string>> = {
  ENOTDIR: (stateDir) =>
    `a file stands where the directory ${stateDir} (or one above it) should be`,
  EEXIST: (_, path) => `${path} is a file, not a directory`,
};

/** Why the tables in `path` cannot be opened, and what to do about it. */
function unavailable(path: string, error: unknown): LocalStateError {
  const cause = (error as { cause?: unknown }).cause ?? error;
  const code = (cause as { code?: unknown }).code;
  const stateDir = dirname(path);
  const opening = `the pipeline state in ${stateDir} cannot be opened`;
  if (code === 'LEVEL_LOCKED')
    return new LocalStateError(
      'transient',
      `${opening}: its tables (${path}) are locked; another clearance process (pipeline run, audit) is using them: wait for it to finish`,
      { cause: error },
    );
  const where = FILE_IN_THE_WAY[String(code)];
  if (where !== undefined)
    return new LocalStateError(
      'input',
      `${opening}: ${where(stateDir, path)}; give --state-dir a directory of its own`,
      { cause: error },
    );
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return new LocalStateError('input', `${opening}: ${messageOf(cause)}`, { cause: error });
  return new LocalStateError(
    'input',
    `${opening}: ${messageOf(cause)}; if no other clearance process is using it, delete ${path} to start afresh (its verdicts and audit events are lost)`,
    { cause: error },
  );
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
