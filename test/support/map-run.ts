import type { ObjectStore } from '../../shared/objects';

/** A child execution of a Distributed Map as the ResultWriter writes it (Transformation NONE). */
export interface WrittenExecution {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  readonly input: unknown;
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
}

const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:FleetScan/CheckFleet';

/** One execution as Step Functions writes it: Input and Output are JSON texts. */
function written(execution: WrittenExecution, index: number): Record<string, unknown> {
  const name = `execution-${String(index).padStart(4, '0')}`;
  return {
    ExecutionArn: `arn:aws:states:eu-west-1:123456789012:execution:FleetScan/CheckFleet:${name}`,
    Input: JSON.stringify(execution.input),
    InputDetails: { Included: true },
    Name: name,
    ...(execution.output !== undefined && {
      Output: JSON.stringify(execution.output),
      OutputDetails: { Included: true },
    }),
    ...(execution.error !== undefined && { Error: execution.error }),
    ...(execution.cause !== undefined && { Cause: execution.cause }),
    RedriveCount: 0,
    RedriveStatus: execution.status === 'SUCCEEDED' ? 'NOT_REDRIVABLE' : 'REDRIVABLE_BY_MAP_RUN',
    StartDate: '2026-01-02T03:05:00.000Z',
    StateMachineArn: STATE_MACHINE,
    Status: execution.status,
    StopDate: '2026-01-02T03:05:01.000Z',
  };
}

/**
 * Writes what a Distributed Map's ResultWriter leaves under `prefix` after a map run: the
 * result files (a JSON array each, or JSON Lines), split `perFile` executions a file, and the
 * manifest naming them. Returns the manifest's key.
 */
export async function writeMapRun(
  store: ObjectStore,
  prefix: string,
  executions: readonly WrittenExecution[],
  options: { readonly perFile?: number; readonly jsonLines?: boolean } = {},
): Promise<string> {
  const run = `${prefix}/0f4d5c1e-6a7b-4c8d-9e0f-1a2b3c4d5e6f`;
  const files: Record<'SUCCEEDED' | 'FAILED' | 'PENDING', { Key: string; Size: number }[]> = {
    SUCCEEDED: [],
    FAILED: [],
    PENDING: [],
  };
  const perFile = options.perFile ?? 1000;
  for (const group of ['SUCCEEDED', 'FAILED'] as const) {
    const mine = executions
      .map((e, i) => ({ e, i }))
      .filter(({ e }) => (group === 'SUCCEEDED') === (e.status === 'SUCCEEDED'));
    for (let start = 0; start < mine.length; start += perFile) {
      const records = mine.slice(start, start + perFile).map(({ e, i }) => written(e, i));
      const body = options.jsonLines
        ? records.map((r) => JSON.stringify(r)).join('\n')
        : JSON.stringify(records);
      const key = `${run}/${group}_${start / perFile}.json`;
      await store.put(key, Buffer.from(body));
      files[group].push({ Key: key, Size: body.length });
    }
  }
  const manifest = {
    DestinationBucket: 'artifacts',
    MapRunArn: `arn:aws:states:eu-west-1:123456789012:mapRun:FleetScan/CheckFleet:0f4d5c1e`,
    ResultFiles: files,
  };
  const key = `${run}/manifest.json`;
  await store.put(key, Buffer.from(JSON.stringify(manifest)));
  return key;
}
