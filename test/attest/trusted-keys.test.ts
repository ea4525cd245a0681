import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateSigningKey, loadTrustedKeys } from '../../shared/attest';
import { startServer } from '../support/registry-server';
import { useTempDir } from '../support/temp';

const current = generateSigningKey();
const previous = generateSigningKey();

describe('loadTrustedKeys', () => {
  const dir = useTempDir();

  describe('when given a directory', () => {
    it('trusts every *.pem in it, each key id computed from the key', async () => {
      writeFileSync(join(dir(), 'any-name.pem'), current.publicKeyPem);
      writeFileSync(join(dir(), `${previous.keyId}.pem`), previous.publicKeyPem);
      writeFileSync(join(dir(), 'index.json'), '{}');
      const keys = await loadTrustedKeys(dir());
      expect(keys.map((k) => k.keyId).sort()).toEqual([current.keyId, previous.keyId].sort());
    });

    it('fails when it holds no *.pem', async () => {
      await expect(loadTrustedKeys(dir())).rejects.toThrow(/no \*\.pem files/);
    });

    it('fails when a *.pem is not a P-256 public key', async () => {
      writeFileSync(join(dir(), 'bad.pem'), 'not a key');
      await expect(loadTrustedKeys(dir())).rejects.toMatchObject({ code: 'KEY_INVALID' });
    });
  });

  describe('when given the URL of a key index', () => {
    const index = (keys: object[]) => JSON.stringify({ keys });
    const entry = (key: typeof current, status: string, keyId = key.keyId) => ({
      keyId,
      publicKeyPem: key.publicKeyPem,
      createdAt: key.createdAt,
      status,
    });

    it('trusts the current, previous and pending keys of a file: URL', async () => {
      const file = join(dir(), 'index.json');
      writeFileSync(file, index([entry(current, 'current'), entry(previous, 'previous')]));
      const keys = await loadTrustedKeys(pathToFileURL(file).href);
      expect(keys.map((k) => k.keyId)).toEqual([current.keyId, previous.keyId]);
    });

    it('reads one over http from localhost', async () => {
      const server = await startServer((_request, response) => {
        response.setHeader('content-type', 'application/json');
        response.end(index([entry(current, 'current')]));
      });
      try {
        const keys = await loadTrustedKeys(`${server.url}/verdict-keys/index.json`);
        expect(keys.map((k) => k.keyId)).toEqual([current.keyId]);
      } finally {
        await server.stop();
      }
    });

    it('fails when an entry names another key id than its key', async () => {
      const file = join(dir(), 'index.json');
      writeFileSync(file, index([entry(current, 'current', previous.keyId)]));
      await expect(loadTrustedKeys(pathToFileURL(file).href)).rejects.toThrow(/listed as/);
    });

    it('fails when it is not a key index', async () => {
      const file = join(dir(), 'index.json');
      writeFileSync(file, '{"keys": "no"}');
      await expect(loadTrustedKeys(pathToFileURL(file).href)).rejects.toThrow(/expected \{"keys"/);
    });

    it('fails for plain http beyond loopback, without fetching', async () => {
      const fetcher = jest.fn<Promise<Response>, Parameters<typeof fetch>>();
      await expect(loadTrustedKeys('http://keys.example/index.json', fetcher)).rejects.toThrow(
        /expected https/,
      );
      expect(fetcher).not.toHaveBeenCalled();
    });
  });

  it('fails when the path does not exist', async () => {
    await expect(loadTrustedKeys(join(dir(), 'missing'))).rejects.toThrow(
      /no such directory or URL/,
    );
  });
});
