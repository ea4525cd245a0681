import { z } from 'zod';
import type { ErrorKind } from '../core';
import { messageOf } from '../core';
import { RotationError } from './errors';
import type { RegistryTokenSecret } from './registry-token-secret';

/*
 * The registry token API the registry-token rotator speaks (a registry whose API differs gets
 * a rotator of its own):
 *   POST   <tokenEndpoint>          Authorization: Bearer <current token>, Idempotency-Key: <version id>
 *                                   body {"description": "..."} → 200/201 {"token", "id"?, "expiresAt"?}
 *   GET    <checkUrl>               Authorization: Basic <username:token> → 2xx when the token works
 *   DELETE <tokenEndpoint>/<id>     Authorization: Bearer <current token> → 2xx, or 404 (gone already)
 * No redirect is followed (a credential is never sent where the secret does not say), plain
 * HTTP is refused except to loopback, and no response body or query string reaches a message.
 */

/** A token the API issued. */
export interface IssuedToken {
  readonly token: string;
  readonly id?: string;
  readonly expiresAt?: string;
}

export interface TokenApi {
  /** A new token, asked for with the current credential. */
  issue(current: RegistryTokenSecret, idempotencyKey: string): Promise<IssuedToken>;
  /** Throws `TEST_FAILED` unless the registry accepts the credential. */
  check(credential: RegistryTokenSecret): Promise<void>;
  /** Revokes `old`'s token, authenticated with `current`'s. */
  revoke(current: RegistryTokenSecret, old: RegistryTokenSecret): Promise<void>;
}

export interface TokenApiOptions {
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default 10000 */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const IssuedSchema = z.object({
  token: z.string().min(1),
  id: z.union([z.string(), z.number()]).transform(String).optional(),
  expiresAt: z.string().optional(),
});

/** The token API over `fetch`. */
export function tokenApi(options: TokenApiOptions = {}): TokenApi {
  const call = caller(options);
  return {
    async issue(current, idempotencyKey) {
      const response = await call('POST', current.tokenEndpoint, {
        authorization: `Bearer ${current.token}`,
        'idempotency-key': idempotencyKey,
        'content-type': 'application/json',
        body: JSON.stringify({ description: `clearance rotation ${idempotencyKey}` }),
      });
      expectOk('POST', current.tokenEndpoint, response);
      const parsed = IssuedSchema.safeParse(await response.json().catch(() => undefined));
      if (!parsed.success)
        throw requestFailed(
          `POST ${shown(current.tokenEndpoint)} answered without a token (expected {"token": "..."})`,
          'input',
        );
      return parsed.data;
    },
    async check(credential) {
      const url = credential.checkUrl ?? `https://${credential.registry}/v2/`;
      const basic = Buffer.from(`${credential.username}:${credential.token}`).toString('base64');
      const response = await call('GET', url, { authorization: `Basic ${basic}` });
      await response.body?.cancel();
      if (response.status === 401 || response.status === 403)
        throw new RotationError(
          'TEST_FAILED',
          `GET ${shown(url)} refused the pending token for ${credential.username}: HTTP ${response.status}`,
        );
      expectOk('GET', url, response);
    },
    async revoke(current, old) {
      if (old.tokenId === undefined)
        throw new RotationError(
          'INVALID_SECRET_VALUE',
          'revokePrevious is set but the previous value has no tokenId to revoke',
        );
      const url = `${current.tokenEndpoint.replace(/\/+$/, '')}/${encodeURIComponent(old.tokenId)}`;
      const response = await call('DELETE', url, { authorization: `Bearer ${current.token}` });
      await response.body?.cancel();
      if (response.status !== 404) expectOk('DELETE', url, response);
    },
  };
}

type Call = (
  method: string,
  url: string,
  headers: Record<string, string> & { body?: string },
) => Promise<Response>;

function caller(options: TokenApiOptions): Call {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return async (method, url, { body, ...headers }) => {
    assertSecureUrl(url);
    try {
      return await doFetch(url, {
        method,
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw requestFailed(
        `${method} ${shown(url)} got no answer: ${causeOf(error)}`,
        'transient',
        error,
      );
    }
  };
}

function expectOk(method: string, url: string, response: Response): void {
  if (response.status >= 200 && response.status < 300) return;
  const transient = response.status >= 500 || response.status === 429;
  throw requestFailed(
    `${method} ${shown(url)} answered HTTP ${response.status}${response.status >= 300 && response.status < 400 ? ' (a redirect: not followed with a credential)' : ''}`,
    transient ? 'transient' : 'input',
  );
}

/** Refuses to send a credential over plain HTTP except to this machine. */
function assertSecureUrl(url: string): void {
  const parsed = new URL(url);
  if (parsed.protocol === 'https:') return;
  if (parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname)) return;
  throw new RotationError(
    'INSECURE_ENDPOINT',
    `${shown(url)}: expected an https URL (plain http only to loopback): a credential would travel in clear text`,
  );
}

/** The URL without its query or fragment (which may carry a credential). */
function shown(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' ? cause.code : messageOf(error);
}

function requestFailed(message: string, kind: ErrorKind, cause?: unknown): RotationError {
  return new RotationError('REGISTRY_REQUEST_FAILED', message, kind, { cause });
}
