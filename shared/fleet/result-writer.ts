import { z } from 'zod';
import type { ObjectStore } from '../objects';
import { FleetError } from './errors';

/*
 * What a Distributed Map with a ResultWriter leaves in S3
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html):
 * `<prefix>/<map run id>/manifest.json`, naming the result files of each status, and the
 * result files, each the child executions of one status. With the default writer config
 * (Transformation NONE) a file is a JSON array (OutputType JSON) or JSON Lines (JSONL) of
 * `{ExecutionArn, Name, Status, Input, Output, Error, Cause, StartDate, StopDate, …}`, where
 * Input and Output are JSON texts. FAILED holds failed, timed-out and aborted executions;
 * PENDING the items that never ran (the map run itself failed or was stopped).
 */

const ResultFile = z.object({ Key: z.string().min(1), Size: z.number().optional() });
const ResultFiles = z.array(ResultFile).default([]);
const Manifest = z.object({
  DestinationBucket: z.string().optional(),
  MapRunArn: z.string().optional(),
  ResultFiles: z.object({ SUCCEEDED: ResultFiles, FAILED: ResultFiles, PENDING: ResultFiles }),
});
const Execution = z.object({
  Name: z.string().optional(),
  Status: z.string().min(1),
  Input: z.string().optional(),
  Output: z.string().optional(),
  Error: z.string().optional(),
  Cause: z.string().optional(),
});

/** One child execution of the map: its item (the input) and what it returned or why it failed. */
export interface MapExecutionResult {
  readonly name?: string;
  /** `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED`, `PENDING_REDRIVE`, … */
  readonly status: string;
  /** The parsed input; undefined when it was not valid JSON. */
  readonly input: unknown;
  /** The parsed output; undefined for a failed execution or an output that was not JSON. */
  readonly output: unknown;
  readonly error?: string;
  readonly cause?: string;
}

/** A map run's results by the file they were written to. */
export interface MapRunResults {
  readonly mapRunArn?: string;
  readonly succeeded: readonly MapExecutionResult[];
  readonly failed: readonly MapExecutionResult[];
  readonly pending: readonly MapExecutionResult[];
}

/**
 * Reads a ResultWriter manifest and every result file it names. The manifest and the files are
 * written by Step Functions before the map state ends, so a missing or malformed one is our
 * wiring at fault (a wrong key, another writer config): a `FleetError`, not retried.
 */
export async function readMapRunResults(
  store: ObjectStore,
  manifestKey: string,
): Promise<MapRunResults> {
  const manifest = parseWith(Manifest, await readJson(store, manifestKey), manifestKey);
  const read = async (files: readonly { Key: string }[]) =>
    (await Promise.all(files.map((f) => readResultFile(store, f.Key)))).flat();
  const { SUCCEEDED, FAILED, PENDING } = manifest.ResultFiles;
  return {
    ...(manifest.MapRunArn !== undefined && { mapRunArn: manifest.MapRunArn }),
    succeeded: await read(SUCCEEDED),
    failed: await read(FAILED),
    pending: await read(PENDING),
  };
}

async function readResultFile(store: ObjectStore, key: string): Promise<MapExecutionResult[]> {
  const text = await readText(store, key);
  const executions: unknown[] = text.trimStart().startsWith('[')
    ? (parseText(text, key) as unknown[])
    : text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line, i) => parseText(line, `${key} line ${i + 1}`));
  return parseWith(z.array(Execution), executions, key).map((e) => ({
    ...(e.Name !== undefined && { name: e.Name }),
    status: e.Status,
    input: jsonOrUndefined(e.Input),
    output: jsonOrUndefined(e.Output),
    ...(e.Error !== undefined && { error: e.Error }),
    ...(e.Cause !== undefined && { cause: e.Cause }),
  }));
}

async function readJson(store: ObjectStore, key: string): Promise<unknown> {
  return parseText(await readText(store, key), key);
}

async function readText(store: ObjectStore, key: string): Promise<string> {
  const body = await store.get(key);
  if (body === undefined)
    throw new FleetError('FLEET_RESULTS_MALFORMED', `the map run's results have no object ${key}`);
  return body.toString('utf8');
}

function parseText(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new FleetError('FLEET_RESULTS_MALFORMED', `${where} is not JSON`, 'input', {
      cause: error,
    });
  }
}

function parseWith<S extends z.ZodTypeAny>(schema: S, value: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data as z.output<S>;
  const issues = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  throw new FleetError('FLEET_RESULTS_MALFORMED', `${where} is not a map run result: ${issues}`);
}

function jsonOrUndefined(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
