import { DirectoryObjectStore } from '../../shared/objects';
import { FleetError } from '../../shared/fleet/errors';
import { readMapRunResults } from '../../shared/fleet/result-writer';
import { writeMapRun, type WrittenExecution } from '../support/map-run';
import { useTempDir } from '../support/temp';

const PREFIX = 'fleet/run-1/results';
const EXECUTIONS: WrittenExecution[] = [
  { status: 'SUCCEEDED', input: { item: 1 }, output: { ok: 1 } },
  { status: 'FAILED', input: { item: 2 }, error: 'Clearance.Bug', cause: 'MISSING_OBJECT: gone' },
  { status: 'SUCCEEDED', input: { item: 3 }, output: { ok: 3 } },
  { status: 'TIMED_OUT', input: { item: 4 }, error: 'States.Timeout' },
  { status: 'SUCCEEDED', input: { item: 5 }, output: { ok: 5 } },
];

describe('readMapRunResults', () => {
  const dir = useTempDir();

  describe.each([
    ['JSON arrays', { perFile: 2 }],
    ['JSON Lines', { perFile: 2, jsonLines: true }],
  ])('when the result files are %s', (_, options) => {
    it('reads every file the manifest names, inputs and outputs parsed', async () => {
      const store = new DirectoryObjectStore(dir());
      const manifest = await writeMapRun(store, PREFIX, EXECUTIONS, options);
      const results = await readMapRunResults(store, manifest);
      expect(results.mapRunArn).toMatch(/^arn:aws:states:.*:mapRun:/);
      expect(results.succeeded.map((e) => [e.status, e.input, e.output])).toEqual([
        ['SUCCEEDED', { item: 1 }, { ok: 1 }],
        ['SUCCEEDED', { item: 3 }, { ok: 3 }],
        ['SUCCEEDED', { item: 5 }, { ok: 5 }],
      ]);
      expect(results.failed).toEqual([
        {
          name: 'execution-0001',
          status: 'FAILED',
          input: { item: 2 },
          output: undefined,
          error: 'Clearance.Bug',
          cause: 'MISSING_OBJECT: gone',
        },
        {
          name: 'execution-0003',
          status: 'TIMED_OUT',
          input: { item: 4 },
          output: undefined,
          error: 'States.Timeout',
        },
      ]);
      expect(results.pending).toEqual([]);
    });
  });

  describe('when the map ran no item', () => {
    it('reads empty lists', async () => {
      const store = new DirectoryObjectStore(dir());
      const manifest = await writeMapRun(store, PREFIX, []);
      expect(await readMapRunResults(store, manifest)).toMatchObject({
        succeeded: [],
        failed: [],
        pending: [],
      });
    });
  });

  it('reads an output that is not JSON as undefined', async () => {
    const store = new DirectoryObjectStore(dir());
    await store.put(
      'r/SUCCEEDED_0.json',
      Buffer.from(JSON.stringify([{ Status: 'SUCCEEDED', Input: '{}', Output: 'not json' }])),
    );
    await store.put(
      'r/manifest.json',
      Buffer.from(
        JSON.stringify({ ResultFiles: { SUCCEEDED: [{ Key: 'r/SUCCEEDED_0.json', Size: 1 }] } }),
      ),
    );
    const { succeeded } = await readMapRunResults(store, 'r/manifest.json');
    expect(succeeded).toEqual([{ status: 'SUCCEEDED', input: {}, output: undefined }]);
  });

  describe('failures', () => {
    it.each([
      ['the manifest is missing', {}, /the map run's results have no object r\/manifest.json/],
      ['the manifest is not JSON', { 'r/manifest.json': '{' }, /r\/manifest.json is not JSON/],
      [
        'the manifest names no result files',
        { 'r/manifest.json': '{"MapRunArn":"x"}' },
        /r\/manifest.json is not a map run result: ResultFiles: /,
      ],
      [
        'a result file is missing',
        { 'r/manifest.json': '{"ResultFiles":{"FAILED":[{"Key":"r/FAILED_0.json","Size":2}]}}' },
        /no object r\/FAILED_0.json/,
      ],
      [
        'an execution has no status',
        {
          'r/manifest.json': '{"ResultFiles":{"SUCCEEDED":[{"Key":"r/S.json","Size":2}]}}',
          'r/S.json': '[{"Name":"x"}]',
        },
        /r\/S.json is not a map run result: 0.Status: /,
      ],
    ])('fails when %s', async (_, objects: Record<string, string>, message) => {
      const store = new DirectoryObjectStore(dir());
      for (const [key, body] of Object.entries(objects)) await store.put(key, Buffer.from(body));
      const error = await readMapRunResults(store, 'r/manifest.json').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FleetError);
      expect(error).toMatchObject({ code: 'FLEET_RESULTS_MALFORMED', kind: 'input' });
      expect((error as Error).message).toMatch(message);
    });
  });
});
