import type { IncomingMessage, ServerResponse } from 'node:http';
import { sha256Digest } from '../../shared/image/digest';
import { parseChallenge } from '../../shared/registry/auth';
import { RegistryClient } from '../../shared/registry/client';
import { staticCredentials } from '../../shared/registry/credentials';
import { RegistryUnauthorizedError } from '../../shared/registry/errors';
import { startServer, type RunningServer } from '../support/registry-server';

const MANIFEST = Buffer.from(
  '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}',
);
const BLOB = Buffer.from('layer bytes');
const BLOB_DIGEST = sha256Digest(BLOB);
const FAST_RETRY = { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 };

describe('parseChallenge', () => {
  it.each([
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"',
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/alpine:pull',
        },
      },
    ],
    ['Basic realm="local"', { scheme: 'basic', params: { realm: 'local' } }],
    ['BASIC Realm=local', { scheme: 'basic', params: { realm: 'local' } }],
    [
      'Bearer realm="a\\"b", error="insufficient_scope"',
      { scheme: 'bearer', params: { realm: 'a"b', error: 'insufficient_scope' } },
    ],
    ['Bearer realm="x", Basic realm="y"', { scheme: 'bearer', params: { realm: 'x' } }],
    ['Negotiate', { scheme: 'negotiate', params: {} }],
  ])('parses %s', (header, challenge) => {
    expect(parseChallenge(header)).toEqual(challenge);
  });

  it.each([null, '', '  ', '"quoted"'])('answers undefined for %p', (header) => {
    expect(parseChallenge(header)).toBeUndefined();
  });
});

describe('RegistryClient authentication', () => {
  const servers: RunningServer[] = [];
  let tokenRequests: IncomingMessage[];
  let registryRequests: IncomingMessage[];

  beforeEach(() => {
    tokenRequests = [];
    registryRequests = [];
  });

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  async function serve(
    handler: (req: IncomingMessage, res: ServerResponse) => void,
  ): Promise<string> {
    const server = await startServer(handler);
    servers.push(server);
    return server.url;
  }

  /** A token service issuing `token-<n>`; `body` shapes its JSON answer. */
  async function tokenService(
    options: { password?: string; body?: (token: string) => object } = {},
  ): Promise<string> {
    return serve((req, res) => {
      tokenRequests.push(req);
      const expected =
        options.password === undefined
          ? undefined
          : `Basic ${Buffer.from(`reader:${options.password}`).toString('base64')}`;
      if (expected !== undefined && req.headers.authorization !== expected)
        return void res.writeHead(401).end();
      const token = `token-${tokenRequests.length}`;
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify(options.body?.(token) ?? { token, expires_in: 300 }));
    });
  }

  /** A registry demanding `challenge` and accepting `accepts(authorization)`; blobs redirect to `blobsAt`. */
  async function registry(
    challenge: string,
    accepts: (authorization: string | undefined) => boolean,
    blobsAt?: string,
  ): Promise<string> {
    return serve((req, res) => {
      registryRequests.push(req);
      if (!accepts(req.headers.authorization))
        return void res.writeHead(401, { 'WWW-Authenticate': challenge }).end();
      if (req.url?.includes('/blobs/') && blobsAt !== undefined) {
        return void res
          .writeHead(307, { Location: `${blobsAt}/bucket/blob?X-Amz-Signature=sig` })
          .end();
      }
      res
        .writeHead(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' })
        .end(MANIFEST);
    });
  }

  const bearerRegistry = async (realm: string, blobsAt?: string) =>
    registry(
      `Bearer realm="${realm}/token",service="fake.registry"`,
      (a) => a?.startsWith('Bearer token-') ?? false,
      blobsAt,
    );

  const client = (url: string, options: ConstructorParameters<typeof RegistryClient>[1] = {}) =>
    new RegistryClient(new URL(url).host, { retry: FAST_RETRY, ...options });

  describe('when the registry allows anonymous pulls', () => {
    it('sends no Authorization', async () => {
      const url = await registry('Basic realm="x"', () => true);

      await client(url, { credentialProviders: [staticCredentials('reader', 'pw')] }).fetchManifest(
        'team/app',
        'latest',
      );

      expect(registryRequests.map((r) => r.headers.authorization)).toEqual([undefined]);
    });
  });

  describe('when the registry demands a Bearer token', () => {
    it('gets one from the realm for the pull scope of the repository and sends it', async () => {
      const url = await bearerRegistry(await tokenService());

      const manifest = await client(url).fetchManifest('team/app', 'latest');

      expect(manifest.bytes).toEqual(MANIFEST);
      const query = new URL(tokenRequests[0]!.url!, 'http://x').searchParams;
      expect(Object.fromEntries(query)).toEqual({
        service: 'fake.registry',
        scope: 'repository:team/app:pull',
      });
      expect(tokenRequests[0]!.headers.authorization).toBeUndefined();
      expect(registryRequests.map((r) => r.headers.authorization)).toEqual([
        undefined,
        'Bearer token-1',
      ]);
    });

    it('sends Basic credentials to the token service', async () => {
      const url = await bearerRegistry(await tokenService({ password: 'pw' }));

      await client(url, { credentialProviders: [staticCredentials('reader', 'pw')] }).fetchManifest(
        'team/app',
        'latest',
      );

      expect(tokenRequests).toHaveLength(1);
    });

    it('accepts a token named access_token', async () => {
      const url = await bearerRegistry(
        await tokenService({ body: (token) => ({ access_token: token }) }),
      );

      await expect(client(url).fetchManifest('team/app', 'latest')).resolves.toMatchObject({
        bytes: MANIFEST,
      });
    });

    it('reuses the token for the same scope and asks again for another', async () => {
      const url = await bearerRegistry(await tokenService());
      const registryClient = client(url);

      await registryClient.fetchManifest('team/app', 'latest');
      await registryClient.fetchManifest('team/app', 'v2');
      expect(tokenRequests).toHaveLength(1);

      await registryClient.fetchManifest('team/other', 'latest');
      expect(tokenRequests).toHaveLength(2);
      expect(new URL(tokenRequests[1]!.url!, 'http://x').searchParams.get('scope')).toBe(
        'repository:team/other:pull',
      );
    });

    it.each([
      ['expires_in', { expires_in: 300 }, 300],
      ['the 60 s default without expires_in', {}, 60],
    ])('asks again once %s has passed', async (_name, lifetime, seconds) => {
      const url = await bearerRegistry(
        await tokenService({ body: (token) => ({ token, ...lifetime }) }),
      );
      let now = 1_000_000;
      const registryClient = client(url, { now: () => now });

      await registryClient.fetchManifest('team/app', 'latest');
      now += seconds * 1000 - 1;
      await registryClient.fetchManifest('team/app', 'latest');
      expect(tokenRequests).toHaveLength(1);

      now += 1;
      await registryClient.fetchManifest('team/app', 'latest');
      expect(tokenRequests).toHaveLength(2);
    });

    it('fails when the token service rejects the credentials, without retrying or quoting the password', async () => {
      const url = await bearerRegistry(await tokenService({ password: 'right' }));
      const options = { credentialProviders: [staticCredentials('reader', 'wrong-secret')] };

      const error = (await client(url, options)
        .fetchManifest('team/app', 'latest')
        .catch((e: unknown) => e)) as Error;

      expect(error).toBeInstanceOf(RegistryUnauthorizedError);
      expect(error.message).toMatch(
        /manifest latest of 127\.0\.0\.1:\d+\/team\/app, got 401 Unauthorized: the token service at http:\/\/127\.0\.0\.1:\d+ rejected the credentials \(user "reader" from options\)/,
      );
      expect(error.message).not.toContain('wrong-secret');
      expect(tokenRequests).toHaveLength(1);
    });
  });

  describe('when the registry redirects blobs to another origin', () => {
    it('follows the redirect without sending the token there', async () => {
      const storageRequests: IncomingMessage[] = [];
      const storage = await serve((req, res) => {
        storageRequests.push(req);
        if (req.headers.authorization !== undefined)
          return void res.writeHead(400).end('Authorization leaked');
        res.writeHead(200).end(BLOB);
      });
      const url = await bearerRegistry(await tokenService(), storage);

      const stream = await client(url).openBlob('team/app', {
        mediaType: 'application/octet-stream',
        digest: BLOB_DIGEST,
        size: BLOB.length,
      });
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);

      expect(Buffer.concat(chunks)).toEqual(BLOB);
      expect(storageRequests).toHaveLength(1);
      expect(storageRequests[0]!.headers.authorization).toBeUndefined();
      expect(registryRequests.at(-1)!.headers.authorization).toBe('Bearer token-1');
    });
  });

  describe('when the registry demands Basic credentials', () => {
    const basic = (password: string) =>
      `Basic ${Buffer.from(`reader:${password}`).toString('base64')}`;

    it('sends them after the challenge, and from then on at once', async () => {
      const url = await registry('Basic realm="local"', (a) => a === basic('pw'));
      const registryClient = client(url, {
        credentialProviders: [staticCredentials('reader', 'pw')],
      });

      await registryClient.fetchManifest('team/app', 'latest');
      await registryClient.fetchManifest('team/app', 'latest');

      expect(registryRequests.map((r) => r.headers.authorization)).toEqual([
        undefined,
        basic('pw'),
        basic('pw'),
      ]);
    });

    it('fails when they are wrong, after one try with them', async () => {
      const url = await registry('Basic realm="local"', (a) => a === basic('pw'));
      const registryClient = client(url, {
        credentialProviders: [staticCredentials('reader', 'bad')],
      });

      const failure = registryClient.fetchManifest('team/app', 'latest');

      await expect(failure).rejects.toThrow(RegistryUnauthorizedError);
      await expect(failure).rejects.toThrow(
        'the registry rejected the credentials (user "reader" from options)',
      );
      expect(registryRequests).toHaveLength(2);
    });
  });

  describe('when the registry asks for a scheme Clearance does not speak', () => {
    it('fails naming the scheme', async () => {
      const url = await registry('Negotiate', () => false);

      await expect(client(url).fetchManifest('team/app', 'latest')).rejects.toThrow(
        'the registry asks for "negotiate" authentication',
      );
    });
  });
});
