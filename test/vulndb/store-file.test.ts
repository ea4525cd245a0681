import { join } from 'node:path';
import { VulnDbError } from '../../shared/vulndb/errors';
import { LocalStore } from '../../shared/vulndb/local-store';
import { BROKEN_STORES, realStore } from '../support/broken-stores';
import { useTempDir } from '../support/temp';

/** What `open` throws, or a failed expectation when it returns. */
function rejectionOf(open: () => LocalStore): Error {
  try {
    open().close();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the store not to open');
}

describe('LocalStore.open', () => {
  const dir = useTempDir();

  describe.each(Object.entries(BROKEN_STORES))('when --db names %s', (_, broken) => {
    it.each([
      ['to read', false],
      ['to write', true],
    ])('fails with a VulnDbError saying what is there, %s', async (_how, create) => {
      const db = await broken.make(dir());
      const error = rejectionOf(() => LocalStore.open(db, { create }));
      expect(error).toBeInstanceOf(VulnDbError);
      expect(error).toMatchObject({ code: broken.code, kind: 'input' });
      expect(error.message).toMatch(broken.message);
    });
  });

  describe('when the store is damaged past what opening reads', () => {
    it('fails its lookups with VULNDB_CORRUPT, not a raw SQLite error', async () => {
      const db = await realStore(join(dir(), 'db'));
      const store = LocalStore.open(db);
      try {
        const { writeFileSync, readFileSync } = await import('node:fs');
        const file = join(db, 'osv.sqlite');
        const bytes = readFileSync(file);
        bytes.fill(0xa5, 4096);
        writeFileSync(file, bytes);
        await expect(
          store.advisoriesFor([{ ecosystem: 'Debian:12', name: 'openssl' }]),
        ).rejects.toMatchObject({ code: 'VULNDB_CORRUPT' });
      } finally {
        store.close();
      }
    });
  });

  describe('when the store file is new and empty', () => {
    it('makes the store in it', async () => {
      const { mkdirSync, writeFileSync } = await import('node:fs');
      mkdirSync(join(dir(), 'db'));
      writeFileSync(join(dir(), 'db', 'osv.sqlite'), '');
      const store = LocalStore.open(join(dir(), 'db'), { create: true });
      expect((await store.dataVersion()).records).toBe(0);
      store.close();
    });
  });
});
