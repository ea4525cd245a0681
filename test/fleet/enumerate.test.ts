import { DirectoryObjectStore } from '../../shared/objects';
import {
  enumerateFleet,
  fleetRunId,
  runIdAt,
  NONE_SKIPPED,
  type FleetLister,
} from '../../shared/fleet/enumerate';
import { readItems } from '../../shared/fleet/items';
import { FleetRunId } from '../../shared/fleet/schemas';
import type { ImageTarget } from '../../shared/pipeline/states';
import { useTempDir } from '../support/temp';

const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const NOW = new Date('2026-01-02T03:04:05.678Z');
const target = (repository: string, c: string): ImageTarget => ({
  registry: REGISTRY,
  repository,
  digest: `sha256:${c.repeat(64)}`,
});
const SKIPPED = {
  artifacts: { 'cosign-signature': 3, 'clearance-verdict': 2 },
  promotionCopies: 1,
};
const lister = (images: ImageTarget[], skipped = NONE_SKIPPED): FleetLister => ({
  list: () => Promise.resolve({ images, skipped }),
});

describe('enumerateFleet', () => {
  const dir = useTempDir();

  describe('when the schedule names the run', () => {
    it('writes the items file of the run and says where it is, how many items it holds and where the map writes its results', async () => {
      const store = new DirectoryObjectStore(dir());
      const output = await enumerateFleet(
        { runId: 'nightly-1' },
        {
          lister: lister([target('web', 'b'), target('api', 'a')], SKIPPED),
          store,
          clock: () => NOW,
          bucket: 'artifacts',
        },
      );
      expect(output).toEqual({
        runId: 'nightly-1',
        itemsKey: 'fleet/nightly-1/items.jsonl',
        resultsPrefix: 'fleet/nightly-1/results',
        bucket: 'artifacts',
        count: 2,
        skipped: SKIPPED,
        startedAt: NOW.toISOString(),
      });
      expect(await readItems(store, output.itemsKey)).toEqual([
        target('api', 'a'),
        target('web', 'b'),
      ]);
    });

    it('counts what the listing left out, for the summary', async () => {
      const store = new DirectoryObjectStore(dir());
      await enumerateFleet(
        { runId: 'nightly-1' },
        { lister: lister([], SKIPPED), store, clock: () => NOW },
      );
      expect(JSON.parse((await store.get('fleet/nightly-1/skipped.json'))!.toString())).toEqual(
        SKIPPED,
      );
    });
  });

  describe('when the run has no id', () => {
    it('names it after the time it starts and leaves the bucket out when unknown', async () => {
      const output = await enumerateFleet(
        {},
        { lister: lister([]), store: new DirectoryObjectStore(dir()), clock: () => NOW },
      );
      expect(output).toEqual({
        runId: '20260102T030405Z',
        itemsKey: 'fleet/20260102T030405Z/items.jsonl',
        resultsPrefix: 'fleet/20260102T030405Z/results',
        count: 0,
        skipped: NONE_SKIPPED,
        startedAt: NOW.toISOString(),
      });
    });
  });

  it('fails when the fleet cannot be listed, writing nothing', async () => {
    const store = new DirectoryObjectStore(dir());
    const failing: FleetLister = { list: () => Promise.reject(new Error('denied')) };
    await expect(
      enumerateFleet({ runId: 'r' }, { lister: failing, store, clock: () => NOW }),
    ).rejects.toThrow('denied');
    expect(await store.get('fleet/r/items.jsonl')).toBeUndefined();
  });
});

describe('fleetRunId', () => {
  it.each(['2b5b6c8e-1f4a-4d2b-9c1e-0a1b2c3d4e5f', 'nightly_1', '20260102T030405Z'])(
    'keeps %s, already a run id',
    (name) => {
      expect(fleetRunId(name)).toBe(name);
    },
  );

  it.each([
    ['a name with other characters', 'manual run: 2026.01.02', 'manual run: 2026-01-02'],
    ['a name too long', 'n'.repeat(80), `${'n'.repeat(79)}m`],
  ])('makes a key-safe run id of %s, told apart from a look-alike by a hash', (_, name, alike) => {
    const runId = fleetRunId(name);
    expect(FleetRunId.safeParse(runId).success).toBe(true);
    expect(runId).toMatch(/-[0-9a-f]{12}$/);
    expect(fleetRunId(alike)).not.toBe(runId);
  });
});

describe('runIdAt', () => {
  it('is the UTC time to the second, key-safe', () => {
    expect(runIdAt(NOW)).toBe('20260102T030405Z');
  });
});
