import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startServer } from './registry-server';

/*
 * A registry's token API on 127.0.0.1, as shared/rotation/token-api.ts speaks it:
 *   POST   /api/tokens        Bearer <live token>, Idempotency-Key → 201 {token, id, expiresAt}
 *   GET    /v2/               Basic <user:live token>              → 200, else 401
 *   DELETE /api/tokens/<id>   Bearer <live token>                  → 204, or 404
 *   GET    /moved             → 307 to /v2/ (a redirect a credential must not follow)
 *   POST   /api/empty         → 200 {} (an answer without a token)
 * Every request is logged (method, path, whether it carried credentials).
 */

export const USERNAME = 'ci-bot';

export interface IssuedRecord {
  readonly id: string;
  revoked: boolean;
}

export interface TokenRegistry {
  readonly url: string;
  /** token → its id and whether it is revoked. */
  readonly tokens: Map<string, IssuedRecord>;
  readonly requests: string[];
  /** The status the next request gets instead of its answer (then cleared). */
  failNext: number | undefined;
  stop(): Promise<void>;
}

/** Starts the API with one live token, `initial` (id `id-0`). */
export async function startTokenRegistry(initial: string): Promise<TokenRegistry> {
  const tokens = new Map<string, IssuedRecord>([[initial, { id: 'id-0', revoked: false }]]);
  const byKey = new Map<string, string>();
  const state = { requests: [] as string[], failNext: undefined as number | undefined };
  const live = (token: string | undefined) =>
    token !== undefined && tokens.get(token)?.revoked === false;
  const server = await startServer((request, response) => {
    state.requests.push(
      `${request.method} ${request.url} ${request.headers.authorization === undefined ? 'anonymous' : 'authenticated'}`,
    );
    if (state.failNext !== undefined) {
      const status = state.failNext;
      state.failNext = undefined;
      return void response.writeHead(status).end('{"error": "failing on purpose"}');
    }
    const path = request.url ?? '';
    if (request.method === 'POST' && path === '/api/tokens') return issue(request, response);
    if (request.method === 'GET' && path === '/v2/')
      return void response.writeHead(live(basicToken(request)) ? 200 : 401).end('{}');
    if (request.method === 'DELETE' && path.startsWith('/api/tokens/'))
      return revoke(request, response, path);
    if (path === '/api/empty') return void response.writeHead(200).end('{}');
    if (path === '/moved') return void response.writeHead(307, { location: '/v2/' }).end();
    response.writeHead(404).end();
  });

  function issue(request: IncomingMessage, response: ServerResponse): void {
    if (!live(bearer(request))) return void response.writeHead(401).end();
    const key = String(request.headers['idempotency-key'] ?? '');
    let token = byKey.get(key);
    if (token === undefined) {
      token = `tok-${randomBytes(12).toString('hex')}`;
      tokens.set(token, { id: `id-${tokens.size}`, revoked: false });
      if (key !== '') byKey.set(key, token);
    }
    const body = { token, id: tokens.get(token)!.id, expiresAt: '2026-12-31T00:00:00Z' };
    response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  function revoke(request: IncomingMessage, response: ServerResponse, path: string): void {
    if (!live(bearer(request))) return void response.writeHead(401).end();
    const id = decodeURIComponent(path.slice('/api/tokens/'.length));
    const record = [...tokens.values()].find((r) => r.id === id && !r.revoked);
    if (record === undefined) return void response.writeHead(404).end();
    record.revoked = true;
    response.writeHead(204).end();
  }

  return {
    url: server.url,
    tokens,
    get requests() {
      return state.requests;
    },
    get failNext() {
      return state.failNext;
    },
    set failNext(status) {
      state.failNext = status;
    },
    stop: server.stop,
  };
}

function bearer(request: IncomingMessage): string | undefined {
  return /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
}

function basicToken(request: IncomingMessage): string | undefined {
  const encoded = /^Basic (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  if (encoded === undefined) return undefined;
  const [user, token] = Buffer.from(encoded, 'base64').toString('utf8').split(':');
  return user === USERNAME ? token : undefined;
}
