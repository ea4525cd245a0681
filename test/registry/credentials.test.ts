import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  defaultCredentialProviders,
  dockerConfigCredentials,
  dockerConfigPath,
  environmentCredentials,
  findCredentials,
  staticCredentials,
  type CredentialProvider,
} from '../../shared/registry/credentials';
import { InvalidCredentialsConfigError } from '../../shared/registry/errors';
import { useTempDir } from '../support/temp';

const base64 = (text: string) => Buffer.from(text).toString('base64');

describe('staticCredentials', () => {
  describe('when both username and password are given', () => {
    it('answers them for any registry', async () => {
      const provider = staticCredentials('alice', 'pw');

      await expect(provider('example.com')).resolves.toEqual({
        username: 'alice',
        password: 'pw',
        source: 'options',
      });
    });
  });

  describe('when neither is given', () => {
    it('answers nothing', async () => {
      await expect(staticCredentials()('example.com')).resolves.toBeUndefined();
    });
  });

  it('fails when only the username is given', () => {
    expect(() => staticCredentials('alice', undefined)).toThrow(
      new InvalidCredentialsConfigError(
        'options',
        'username is set but password is not; expected both',
      ),
    );
  });

  it('fails when only the password is given, without quoting it', () => {
    expect(() => staticCredentials(undefined, 'top-secret')).toThrow(
      'password is set but username is not',
    );
    expect(() => staticCredentials(undefined, 'top-secret')).not.toThrow(/top-secret/);
  });
});

describe('environmentCredentials', () => {
  describe('when CLEARANCE_REGISTRY_USERNAME and _PASSWORD are set', () => {
    it('answers them', async () => {
      const provider = environmentCredentials({
        CLEARANCE_REGISTRY_USERNAME: 'ci',
        CLEARANCE_REGISTRY_PASSWORD: 'pw',
      });

      await expect(provider('example.com')).resolves.toEqual({
        username: 'ci',
        password: 'pw',
        source: 'environment',
      });
    });
  });

  describe('when they are unset or empty', () => {
    it('answers nothing', async () => {
      const provider = environmentCredentials({
        CLEARANCE_REGISTRY_USERNAME: '',
        CLEARANCE_REGISTRY_PASSWORD: '',
      });

      await expect(provider('example.com')).resolves.toBeUndefined();
    });
  });

  it('fails when only the password is set', async () => {
    const provider = environmentCredentials({ CLEARANCE_REGISTRY_PASSWORD: 'pw' });

    await expect(provider('example.com')).rejects.toThrow(
      'invalid registry credentials in environment: CLEARANCE_REGISTRY_PASSWORD is set but CLEARANCE_REGISTRY_USERNAME is not; expected both',
    );
  });
});

describe('dockerConfigPath', () => {
  it.each([
    [{ DOCKER_CONFIG: '/etc/docker-cfg', HOME: '/home/u' }, '/etc/docker-cfg/config.json'],
    [{ HOME: '/home/u' }, '/home/u/.docker/config.json'],
    [{ DOCKER_CONFIG: '', HOME: '/home/u' }, '/home/u/.docker/config.json'],
  ])('finds the file from %p', (env, path) => {
    expect(dockerConfigPath(env)).toBe(path);
  });
});

describe('dockerConfigCredentials', () => {
  const dir = useTempDir();
  const configWith = async (auths: unknown): Promise<CredentialProvider> => {
    const path = join(dir(), 'config.json');
    await writeFile(path, JSON.stringify({ auths }));
    return dockerConfigCredentials(path);
  };

  describe('when an entry has an auth field', () => {
    it('decodes base64 user:password, keeping colons in the password', async () => {
      const provider = await configWith({ 'registry.example.com': { auth: base64('bob:pa:ss') } });

      await expect(provider('registry.example.com')).resolves.toMatchObject({
        username: 'bob',
        password: 'pa:ss',
      });
    });
  });

  describe('when an entry has username and password fields', () => {
    it('answers them, naming the file as their source', async () => {
      const provider = await configWith({
        'registry.example.com:5000': { username: 'bob', password: 'pw' },
      });

      await expect(provider('registry.example.com:5000')).resolves.toEqual({
        username: 'bob',
        password: 'pw',
        source: join(dir(), 'config.json'),
      });
    });
  });

  describe('when keys carry a scheme or a path', () => {
    it('matches them by host', async () => {
      const provider = await configWith({
        'https://registry.example.com/v2/': { auth: base64('bob:pw') },
      });

      await expect(provider('registry.example.com')).resolves.toMatchObject({ username: 'bob' });
      await expect(provider('other.example.com')).resolves.toBeUndefined();
    });
  });

  describe('when the registry is Docker Hub', () => {
    it('reads the https://index.docker.io/v1/ entry', async () => {
      const provider = await configWith({
        'https://index.docker.io/v1/': { auth: base64('hubuser:pw') },
      });

      await expect(provider('docker.io')).resolves.toMatchObject({ username: 'hubuser' });
    });
  });

  describe('when an entry holds only an identity token', () => {
    it('answers nothing', async () => {
      const provider = await configWith({ 'registry.example.com': { identitytoken: 'opaque' } });

      await expect(provider('registry.example.com')).resolves.toBeUndefined();
    });
  });

  describe('when the file does not exist', () => {
    it('answers nothing', async () => {
      await expect(
        dockerConfigCredentials(join(dir(), 'absent.json'))('example.com'),
      ).resolves.toBeUndefined();
    });
  });

  it('fails when the file is not JSON, without quoting it', async () => {
    const path = join(dir(), 'config.json');
    await writeFile(path, '{"auths": {"x": {"auth": "c2VjcmV0"}');

    const failure = dockerConfigCredentials(path)('x');

    await expect(failure).rejects.toThrow(InvalidCredentialsConfigError);
    await expect(failure).rejects.toThrow(
      `invalid registry credentials in ${path}: expected a JSON object, got invalid JSON`,
    );
    await expect(failure).rejects.not.toThrow(/c2VjcmV0/);
  });

  it.each([
    ['the file is not an object', [], 'expected a JSON object'],
    ['auths is not an object', { auths: ['x'] }, 'expected "auths" to be an object'],
    [
      'the entry is not an object',
      { auths: { 'registry.example.com': 'x' } },
      'expected auths["registry.example.com"] to be an object',
    ],
  ])('fails when %s', async (_, document, detail) => {
    const path = join(dir(), 'config.json');
    await writeFile(path, JSON.stringify(document));

    await expect(dockerConfigCredentials(path)('registry.example.com')).rejects.toThrow(
      `invalid registry credentials in ${path}: ${detail}`,
    );
  });

  it('fails when an auth field is not base64 of user:password', async () => {
    const provider = await configWith({
      'registry.example.com': { auth: base64('no-colon-here') },
    });

    await expect(provider('registry.example.com')).rejects.toThrow(
      'expected auths["registry.example.com"].auth to be base64 of user:password',
    );
  });
});

describe('defaultCredentialProviders', () => {
  const dir = useTempDir();
  const fromExtra: CredentialProvider = (registry) =>
    Promise.resolve(
      registry === 'extra.example.com'
        ? { username: 'x', password: 'x', source: 'extra' }
        : undefined,
    );

  async function sourceFor(
    registry: string,
    options: Parameters<typeof defaultCredentialProviders>[0],
  ): Promise<string | undefined> {
    const path = join(dir(), 'config.json');
    await writeFile(
      path,
      JSON.stringify({
        auths: {
          'extra.example.com': { auth: base64('d:d') },
          'docker.example.com': { auth: base64('d:d') },
        },
      }),
    );
    const providers = defaultCredentialProviders({
      dockerConfigPath: path,
      credentialProviders: [fromExtra],
      ...options,
    });
    return (await findCredentials(providers, registry))?.source;
  }

  const env = { CLEARANCE_REGISTRY_USERNAME: 'e', CLEARANCE_REGISTRY_PASSWORD: 'e' };

  it.each([
    [
      'options over everything',
      'extra.example.com',
      { username: 'o', password: 'o', env },
      'options',
    ],
    ['the environment over extra providers', 'extra.example.com', { env }, 'environment'],
    ['extra providers over the Docker config', 'extra.example.com', { env: {} }, 'extra'],
    ['the Docker config last', 'docker.example.com', { env: {} }, 'config.json'],
    ['nothing when no source knows the registry', 'unknown.example.com', { env: {} }, undefined],
  ])('prefers %s', async (_name, registry, options, source) => {
    const found = await sourceFor(registry, options);

    if (source === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(source);
  });
});
