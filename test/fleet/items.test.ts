import { DirectoryObjectStore } from '../../shared/objects';
import { FleetError } from '../../shared/fleet/errors';
import {
  decodeItems,
  encodeItems,
  fleetKeys,
  orderItems,
  readItems,
  writeItems,
} from '../../shared/fleet/items';
import type { ImageTarget } from '../../shared/pipeline/states';
import { useTempDir } from '../support/temp';

const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const digest = (c: string) => `sha256:${c.repeat(64)}`;
const target = (repository: string, c: string, tag?: string): ImageTarget => ({
  registry: REGISTRY,
  repository,
  digest: digest(c),
  ...(tag !== undefined && { tag }),
});

describe('items', () => {
  const dir = useTempDir();

  describe('fleetKeys', () => {
    it('keeps a run under fleet/<runId>/', () => {
      expect(fleetKeys('run-1')).toEqual({
        items: 'fleet/run-1/items.jsonl',
        results: 'fleet/run-1/results',
        page: 'fleet/run-1/index.html',
        summary: 'fleet/run-1/summary.json',
        skipped: 'fleet/run-1/skipped.json',
      });
    });
  });

  describe('orderItems', () => {
    it('orders by repository then digest, whatever order they were listed in', () => {
      const listed = [target('web', 'b'), target('api', 'c'), target('web', 'a', '1')];
      expect(orderItems(listed)).toEqual([
        target('api', 'c'),
        target('web', 'a', '1'),
        target('web', 'b'),
      ]);
      expect(orderItems([...listed].reverse())).toEqual(orderItems(listed));
    });

    it('keeps an image listed twice once, with the first tag in sort order', () => {
      expect(
        orderItems([target('web', 'a', 'v2'), target('web', 'a'), target('web', 'a', 'latest')]),
      ).toEqual([target('web', 'a', 'latest')]);
    });

    it('keeps the same digest in two repositories twice', () => {
      expect(orderItems([target('a', 'a'), target('b', 'a')])).toHaveLength(2);
    });
  });

  describe('when written and read back', () => {
    it('gives back the ordered items, one JSON object a line', async () => {
      const store = new DirectoryObjectStore(dir());
      const written = await writeItems(store, 'run-1', [
        target('web', 'b'),
        target('api', 'a', '1'),
      ]);
      expect(written).toEqual({ key: 'fleet/run-1/items.jsonl', count: 2 });
      const body = (await store.get(written.key))!.toString('utf8');
      expect(body.split('\n')).toEqual([
        JSON.stringify(target('api', 'a', '1')),
        JSON.stringify(target('web', 'b')),
        '',
      ]);
      expect(await readItems(store, written.key)).toEqual([
        target('api', 'a', '1'),
        target('web', 'b'),
      ]);
    });

    it('writes an empty file for an empty fleet', async () => {
      const store = new DirectoryObjectStore(dir());
      expect(await writeItems(store, 'run-1', [])).toMatchObject({ count: 0 });
      expect((await store.get('fleet/run-1/items.jsonl'))!.length).toBe(0);
      expect(await readItems(store, 'fleet/run-1/items.jsonl')).toEqual([]);
    });
  });

  describe('decodeItems', () => {
    it('skips blank lines and a missing final newline', () => {
      const body = Buffer.from(
        `\n${encodeItems([target('a', 'a')]).toString()}\n${JSON.stringify(target('b', 'b'))}`,
      );
      expect(decodeItems(body, 'items')).toEqual([target('a', 'a'), target('b', 'b')]);
    });

    it.each([
      ['not JSON', '{"registry": ', /items line 2: expected a JSON object/],
      [
        'not a target',
        '{"registry":"r","repository":"x","digest":"sha256:00"}',
        /items line 2: expected an image target, got digest: a sha256 digest/,
      ],
    ])('fails when a line is %s, naming the line', (_, line, message) => {
      const body = Buffer.from(`${JSON.stringify(target('a', 'a'))}\n${line}\n`);
      let error: unknown;
      try {
        decodeItems(body, 'items');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(FleetError);
      expect(error).toMatchObject({ code: 'FLEET_ITEMS_MALFORMED', kind: 'input' });
      expect((error as Error).message).toMatch(message);
    });

    it('fails when there is no items file', async () => {
      await expect(
        readItems(new DirectoryObjectStore(dir()), 'fleet/x/items.jsonl'),
      ).rejects.toMatchObject({
        code: 'FLEET_ITEMS_MALFORMED',
        message: 'there is no items file at fleet/x/items.jsonl',
      });
    });
  });
});
