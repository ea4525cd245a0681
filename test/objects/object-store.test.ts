import { readdirSync, writeFileSync } from 'node:fs';
import { DirectoryObjectStore, ObjectStoreError } from '../../shared/objects';
import { useTempDir } from '../support/temp';

describe('DirectoryObjectStore', () => {
  const dir = useTempDir();

  it('gives back what was put, under nested keys, and nothing for a missing key', async () => {
    const store = new DirectoryObjectStore(dir());
    await store.put('layer-reports/abc/sha256/0f.json.gz', Buffer.from('one'));
    await store.put('layer-reports/abc/sha256/0f.json.gz', Buffer.from('two'));
    expect((await store.get('layer-reports/abc/sha256/0f.json.gz'))?.toString()).toBe('two');
    expect(await store.get('layer-reports/abc/sha256/missing')).toBeUndefined();
  });

  it('leaves no temporary file behind', async () => {
    const store = new DirectoryObjectStore(dir());
    await store.put('a/b', Buffer.from('x'));
    expect(readdirSync(`${dir()}/a`)).toEqual(['b']);
  });

  describe('list', () => {
    async function filled(): Promise<DirectoryObjectStore> {
      const store = new DirectoryObjectStore(dir());
      for (const key of ['fleet/run-2/summary.json', 'fleet/run-1/items.jsonl', 'scans/s/x.json'])
        await store.put(key, Buffer.from(key));
      await store.put('fleet/run-1/results/SUCCEEDED_0.json', Buffer.from('[]'));
      return store;
    }

    it('gives every key under a directory prefix, nested ones too, sorted', async () => {
      const store = await filled();
      expect(await store.list('fleet/')).toEqual([
        'fleet/run-1/items.jsonl',
        'fleet/run-1/results/SUCCEEDED_0.json',
        'fleet/run-2/summary.json',
      ]);
    });

    it('reads the prefix as a string prefix, as S3 does', async () => {
      const store = await filled();
      expect(await store.list('fleet/run-1/i')).toEqual(['fleet/run-1/items.jsonl']);
      expect(await store.list('fleet/run-')).toHaveLength(3);
      expect(await store.list('')).toHaveLength(4);
    });

    it('gives nothing for a prefix no key starts with', async () => {
      const store = await filled();
      expect(await store.list('absent/')).toEqual([]);
      expect(await store.list('fleet/run-3')).toEqual([]);
    });

    it('leaves out the temporary file of a write in progress', async () => {
      const store = await filled();
      writeFileSync(`${dir()}/fleet/run-2/summary.json.0123456789ab.tmp`, 'partial');
      expect(await store.list('fleet/run-2/')).toEqual(['fleet/run-2/summary.json']);
    });

    it.each(['../', 'a/../', '/etc/', 'a//', './'])(
      'refuses the prefix %j, which could leave the store',
      async (prefix) => {
        await expect(new DirectoryObjectStore(dir()).list(prefix)).rejects.toMatchObject({
          code: 'INVALID_OBJECT_KEY',
        });
      },
    );
  });

  it.each(['../outside', 'a/../../b', '/etc/passwd', 'a//b', '', 'a/./b'])(
    'refuses the key %j, which could leave the store',
    async (key) => {
      const store = new DirectoryObjectStore(dir());
      await expect(store.put(key, Buffer.from('x'))).rejects.toThrow(ObjectStoreError);
      await expect(store.get(key)).rejects.toMatchObject({ code: 'INVALID_OBJECT_KEY' });
    },
  );
});
