import { readdirSync } from 'node:fs';
import { DirectoryObjectStore, PipelineError } from '../../shared/pipeline';
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

  it.each(['../outside', 'a/../../b', '/etc/passwd', 'a//b', '', 'a/./b'])(
    'refuses the key %j, which could leave the store',
    async (key) => {
      const store = new DirectoryObjectStore(dir());
      await expect(store.put(key, Buffer.from('x'))).rejects.toThrow(PipelineError);
      await expect(store.get(key)).rejects.toMatchObject({ code: 'INVALID_OBJECT_KEY' });
    },
  );
});
