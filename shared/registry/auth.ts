import { isObject } from '../core';
import { ExpiringCache, type Expiring } from './cache';
import {
  basicAuthorization,
  describeCredentials,
  findCredentials,
  type CredentialProvider,
  type Credentials,
} from './credentials';
import { RegistryResponseError, RegistryUnauthorizedError, type RequestTarget } from './errors';
import type { HttpClient } from './http';

/** One `WWW-Authenticate` challenge (RFC 9110 §11.6.1): a scheme and its parameters. */
export interface Challenge {
  /** Lower-cased: `bearer`, `basic`. */
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

/** Token lifetime when the token service gives none (distribution token spec). */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 60;
/** Token responses are a few KiB; refuse to hold more. */
const MAX_TOKEN_RESPONSE_BYTES = 1 << 20;
const MS_PER_SECOND = 1000;

/**
 * Parses the first challenge of a `WWW-Authenticate` header, e.g.
 * `Bearer realm="https://auth.docker.io/token",service="registry.docker.io"`.
 */
export function parseChallenge(header: string | null): Challenge | undefined {
  const match = /^\s*([A-Za-z][\w!#$%&'*+.^`|~-]*)\s*(.*)$/s.exec(header ?? '');
  if (match === null) return undefined;
  const params: Record<string, string> = {};
  const param = /\s*([\w!#$%&'*+.^`|~-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))\s*,?/gy;
  for (let m = param.exec(match[2]!); m !== null; m = param.exec(match[2]!)) {
    params[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
  }
  return { scheme: match[1]!.toLowerCase(), params };
}

/**
 * Authorization for one registry. Requests go anonymous until a 401 names the scheme; then
 * Basic sends credentials, and Bearer trades them (or nothing) at the challenge's realm for a
 * token, cached per scope until `expires_in` (distribution token authentication spec).
 */
export class Authenticator {
  private challenge: Challenge | undefined;
  private readonly tokens: ExpiringCache<string>;

  constructor(
    private readonly http: HttpClient,
    private readonly providers: readonly CredentialProvider[],
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = new ExpiringCache(now);
  }

  /** The `Authorization` header for a request in `scope`, or undefined to go anonymous. */
  async authorization(scope: string, target: RequestTarget): Promise<string | undefined> {
    const challenge = this.challenge;
    if (challenge?.scheme === 'basic') {
      const credentials = await this.credentials(target);
      return credentials === undefined ? undefined : basicAuthorization(credentials);
    }
    if (challenge?.scheme !== 'bearer') return undefined;
    return this.tokens.get(scope, () => this.requestToken(challenge, scope, target));
  }

  /**
   * Learns from a 401's challenge. True when a second try with a new authorization may
   * succeed; false when what was sent is all we have (the caller reports the 401).
   */
  async challenged(
    header: string | null,
    scope: string,
    sent: string | undefined,
    target: RequestTarget,
  ): Promise<boolean> {
    const challenge = parseChallenge(header);
    if (challenge === undefined) return false;
    this.challenge = challenge;
    if (challenge.scheme === 'bearer') {
      this.tokens.delete(scope);
      return true;
    }
    if (challenge.scheme !== 'basic') return false;
    return !sent?.startsWith('Basic ') && (await this.credentials(target)) !== undefined;
  }

  /** Why a 401 stands, for its message: which credentials were refused, or that there were none. */
  async explainRefusal(target: RequestTarget, sent: string | undefined): Promise<string> {
    const credentials = await this.credentials(target);
    const scheme = this.challenge?.scheme;
    if (scheme !== undefined && scheme !== 'basic' && scheme !== 'bearer') {
      return `the registry asks for "${scheme}" authentication, which is not supported`;
    }
    if (credentials === undefined) {
      return `no credentials found for ${target.registry}; give a username and password, set CLEARANCE_REGISTRY_USERNAME and CLEARANCE_REGISTRY_PASSWORD, or log in with docker login`;
    }
    if (sent?.startsWith('Bearer ')) {
      return `the registry refused the token its token service issued for the credentials (${describeCredentials(credentials)})`;
    }
    if (sent === undefined)
      return 'the registry sent no WWW-Authenticate challenge that Clearance can answer';
    return `the registry rejected the credentials (${describeCredentials(credentials)})`;
  }

  private credentials(target: RequestTarget): Promise<Credentials | undefined> {
    return findCredentials(this.providers, target.registry);
  }

  private async requestToken(
    challenge: Challenge,
    scope: string,
    target: RequestTarget,
  ): Promise<Expiring<string>> {
    const tokenTarget = { ...target, object: `token for ${scope}` };
    const url = realmUrl(challenge, scope, tokenTarget);
    const credentials = await this.credentials(target);
    const headers: Record<string, string> = credentials
      ? { Authorization: basicAuthorization(credentials) }
      : {};
    const response = await this.http.get({ url, headers, target: tokenTarget });
    if (response.status === 401 || response.status === 403) {
      await response.discard();
      const refused = credentials
        ? `rejected the credentials (${describeCredentials(credentials)})`
        : 'requires credentials; none were found';
      throw new RegistryUnauthorizedError(target, `the token service at ${url.origin} ${refused}`);
    }
    if (response.status !== 200) {
      await response.discard();
      throw new RegistryResponseError(
        tokenTarget,
        `expected 200 from ${url.origin}, got HTTP ${response.status}`,
        response.status,
      );
    }
    const tooLarge = () =>
      new RegistryResponseError(
        tokenTarget,
        `token response over ${MAX_TOKEN_RESPONSE_BYTES} bytes`,
      );
    return this.parseToken(await response.bytes(MAX_TOKEN_RESPONSE_BYTES, tooLarge), tokenTarget);
  }

  private parseToken(bytes: Buffer, target: RequestTarget): Expiring<string> {
    let doc: unknown;
    try {
      doc = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new RegistryResponseError(target, 'expected a JSON token response, got invalid JSON');
    }
    const body = isObject(doc) ? doc : {};
    const value = [body.token, body.access_token].find((t) => typeof t === 'string' && t !== '');
    if (typeof value !== 'string')
      throw new RegistryResponseError(
        target,
        'expected "token" or "access_token" in the token response',
      );
    const lifetime =
      typeof body.expires_in === 'number' && body.expires_in > 0
        ? body.expires_in
        : DEFAULT_TOKEN_LIFETIME_SECONDS;
    return { value: `Bearer ${value}`, expiresAt: this.now() + lifetime * MS_PER_SECOND };
  }
}

function realmUrl(challenge: Challenge, scope: string, target: RequestTarget): URL {
  const realm = challenge.params.realm;
  let url: URL | undefined;
  try {
    url = realm === undefined ? undefined : new URL(realm);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new RegistryResponseError(target, 'expected a Bearer challenge with an http(s) realm');
  }
  if (challenge.params.service !== undefined)
    url.searchParams.set('service', challenge.params.service);
  url.searchParams.set('scope', scope);
  return url;
}
