import { DirectoryObjectStore } from '../../../shared/pipeline';
import {
  enumerateFleet,
  runIdAt,
  type FleetLister,
} from '../../../shared/pipeline/fleet/enumerate';
import { readItems } from '../../../shared/pipeline/fleet/items';
import type { ImageTarget } from '../../../shared/pipeline/steps';
import { useTempDir } from '../../support/temp';

const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const NOW = new Date('2026-01-02T03:04:05.678Z');
const target = (repository: string, c: string): ImageTarget => ({
  registry: REGISTRY,
  repository,
  digest: `sha256:${c.repeat(64)}`,
});
const lister = (images: ImageTarget[]): FleetLister => ({ list: () => Promise.resolve(images) });

describe('enumerateFleet', () => {
  const dir = useTempDir();

  describe('when the schedule names the run', () => {
    it('writes the items file of the run and says where it is and how many items it holds', async () => {
      const store = new DirectoryObjectStore(dir());
      const output = await enumerateFleet(
        { runId: 'nightly-1' },
        {
          lister: lister([target('web', 'b'), target('api', 'a')]),
          store,
          clock: () => NOW,
          bucket: 'artifacts',
        },
      );
      expect(output).toEqual({
        runId: 'nightly-1',
        itemsKey: 'fleet/nightly-1/items.jsonl',
        bucket: 'artifacts',
        count: 2,
        startedAt: NOW.toISOString(),
      });
      expect(await readItems(store, output.itemsKey)).toEqual([
        target('api', 'a'),
        target('web', 'b'),
      ]);
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
        count: 0,
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

describe('runIdAt', () => {
  it('is the UTC time to the second, key-safe', () => {
    expect(runIdAt(NOW)).toBe('20260102T030405Z');
  });
});
