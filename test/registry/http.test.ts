import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  RegistryConnectionError,
  RegistryResponseError,
  RegistryTimeoutError,
  RegistryUnavailableError,
  TooManyRedirectsError,
  type RequestTarget,
} from '../../shared/registry/errors';
import { HttpClient, MAX_REDIRECTS } from '../../shared/registry/http';
import { startServer, type RunningServer } from '../support/registry-server';

const target: RequestTarget = {
  registry: 'registry.test',
  repository: 'team/app',
  object: 'manifest latest',
};
const FAST_RETRY = { attempts: 3, baseDelayMs: 1, maxDelayMs: 10 };

type Handler = (request: IncomingMessage, response: ServerResponse, count: number) => void;

describe('HttpClient', () => {
  const servers: RunningServer[] = [];
  let requests: IncomingMessage[];

  beforeEach(() => {
    requests = [];
  });

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  async function serve(handler: Handler): Promise<string> {
    const server = await startServer((request, response) => {
      requests.push(request);
      handler(request, response, requests.length);
    });
    servers.push(server);
    return server.url;
  }

  const get = (url: string, options = {}, headers: Record<string, string> = {}) =>
    new HttpClient({ retry: FAST_RETRY, ...options }).get({ url: new URL(url), target, headers });

  describe('when the server fails transiently', () => {
    it('retries 503 until the server answers 200', async () => {
      const url = await serve((_, res, n) => res.writeHead(n <= 2 ? 503 : 200).end('ok'));

      const response = await get(`${url}/v2/`);

      expect(response.status).toBe(200);
      expect(requests).toHaveLength(3);
    });

    it('fails when every attempt answers 503, saying how many attempts and the last status', async () => {
      const url = await serve((_, res) => res.writeHead(503).end());

      const failure = get(`${url}/v2/`);

      await expect(failure).rejects.toThrow(RegistryUnavailableError);
      await expect(failure).rejects.toMatchObject({
        kind: 'transient',
        attempts: 3,
        lastStatus: 503,
      });
      await expect(failure).rejects.toThrow(
        'GET manifest latest of registry.test/team/app failed after 3 attempts; last: HTTP 503',
      );
      expect(requests).toHaveLength(3);
    });

    it('waits as long as a 429 Retry-After in seconds asks', async () => {
      const url = await serve((_, res, n) =>
        n === 1 ? res.writeHead(429, { 'Retry-After': '1' }).end() : res.writeHead(200).end(),
      );
      const started = Date.now();

      const response = await get(`${url}/v2/`, {
        retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5_000 },
      });

      expect(response.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    });

    it('caps a Retry-After longer than maxDelayMs', async () => {
      const url = await serve((_, res, n) =>
        n === 1 ? res.writeHead(429, { 'Retry-After': '3600' }).end() : res.writeHead(200).end(),
      );
      const started = Date.now();

      const response = await get(`${url}/v2/`);

      expect(response.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1_000);
    });

    it('retries a connection the server drops', async () => {
      const url = await serve((req, res, n) =>
        n === 1 ? req.socket.destroy() : res.writeHead(200).end(),
      );

      const response = await get(`${url}/v2/`);

      expect(response.status).toBe(200);
    });

    it('fails when nothing listens, naming the network error', async () => {
      const url = await serve(() => undefined);
      await servers.pop()!.stop();

      await expect(get(`${url}/v2/`)).rejects.toThrow(
        /failed after 3 attempts; last: 127\.0\.0\.1:\d+ refused the connection or cannot be reached \(ECONNREFUSED\): is the registry running/,
      );
    });

    it('fails when response headers do not come within the timeout', async () => {
      const url = await serve(() => undefined);

      const failure = get(`${url}/v2/`, { timeoutMs: 50 });

      await expect(failure).rejects.toThrow('last: no response headers within 50 ms');
      expect(requests).toHaveLength(3);
    });
  });

  describe('when the server answers 401, 403 or 404', () => {
    it.each([401, 403, 404])('returns HTTP %d without retrying', async (status) => {
      const url = await serve((_, res) => res.writeHead(status).end());

      const response = await get(`${url}/v2/`);

      expect(response.status).toBe(status);
      expect(requests).toHaveLength(1);
    });
  });

  describe('when a body stalls', () => {
    it('fails the body stream after the idle timeout', async () => {
      const url = await serve((_, res) =>
        res.writeHead(200, { 'Content-Length': '100' }).write('partial'),
      );
      const response = await get(`${url}/v2/`, { idleTimeoutMs: 50 });

      const chunks: Buffer[] = [];
      const reading = (async () => {
        for await (const chunk of response.body()) chunks.push(chunk as Buffer);
      })();

      await expect(reading).rejects.toThrow(RegistryTimeoutError);
      await expect(reading).rejects.toThrow(
        'manifest latest of registry.test/team/app: expected data within 50 ms, got none',
      );
      expect(Buffer.concat(chunks).toString()).toBe('partial');
    });

    it('fails the body stream with a transient error when the connection breaks', async () => {
      const url = await serve((req, res) => {
        res
          .writeHead(200, { 'Content-Length': '100' })
          .write('partial', () => req.socket.destroy());
      });
      const response = await get(`${url}/v2/`);

      const reading = (async () => {
        for await (const _ of response.body()) void _;
      })();

      await expect(reading).rejects.toThrow(RegistryConnectionError);
      await expect(reading).rejects.toMatchObject({ kind: 'transient' });
    });

    it('does not time out while the consumer, not the network, is slow', async () => {
      const url = await serve((_, res) => res.writeHead(200).end('x'.repeat(100_000)));
      const response = await get(`${url}/v2/`, { idleTimeoutMs: 50 });
      const stream = response.body();

      await new Promise((resolve) => setTimeout(resolve, 150));
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);

      expect(Buffer.concat(chunks)).toHaveLength(100_000);
    });
  });

  describe('when the server redirects', () => {
    it('keeps Authorization on a redirect to the same origin', async () => {
      const url = await serve((req, res) =>
        req.url === '/start'
          ? res.writeHead(307, { Location: '/end' }).end()
          : res.writeHead(200).end(req.headers.authorization),
      );

      const response = await get(`${url}/start`, {}, { Authorization: 'Bearer same-origin' });

      expect(await response.bytes(100, () => new Error('too large'))).toEqual(
        Buffer.from('Bearer same-origin'),
      );
    });

    it('drops Authorization on a redirect to another origin', async () => {
      let leaked: string | undefined = 'not asked';
      const other = await serve((req, res) => {
        leaked = req.headers.authorization;
        res.writeHead(200).end('blob');
      });
      const url = await serve((_, res) =>
        res.writeHead(307, { Location: `${other}/signed?X-Amz-Signature=abc` }).end(),
      );

      const response = await get(
        `${url}/v2/team/app/blobs/sha256:x`,
        {},
        { Authorization: 'Bearer secret-token' },
      );

      expect(response.status).toBe(200);
      expect(leaked).toBeUndefined();
    });

    it('fails when redirects loop', async () => {
      const url = await serve((_, res) => res.writeHead(302, { Location: '/again' }).end());

      await expect(get(`${url}/start`)).rejects.toThrow(TooManyRedirectsError);
      expect(requests).toHaveLength(MAX_REDIRECTS + 1);
    });

    it('fails when a redirect has no Location', async () => {
      const url = await serve((_, res) => res.writeHead(307).end());

      await expect(get(`${url}/start`)).rejects.toThrow(RegistryResponseError);
      await expect(get(`${url}/start`)).rejects.toThrow('HTTP 307 without a Location header');
    });

    it('fails when a redirect leaves HTTP(S)', async () => {
      const url = await serve((_, res) =>
        res.writeHead(307, { Location: 'file:///etc/passwd' }).end(),
      );

      await expect(get(`${url}/start`)).rejects.toThrow('refusing a redirect from http: to file:');
    });
  });
});
