import { isObject } from '../core';
import type { Authenticator } from './auth';
import { pullScope, pushScope } from './endpoint';
import {
  RegistryForbiddenError,
  RegistryNotFoundError,
  RegistryResponseError,
  RegistryUnauthorizedError,
  type RegistryError,
  type RequestTarget,
} from './errors';
import type { HttpClient, HttpRequest } from './http';
import type { HttpResponse } from './response';

/** Error bodies are small JSON; read no more than this of one for a message. */
const MAX_ERROR_BODY_BYTES = 16 * 1024;
const MAX_DETAIL_LENGTH = 200;

/** A push request: its method, URL, body and the body's media type. */
export type WriteRequest = Omit<HttpRequest, 'headers'> & { readonly contentType?: string };

/**
 * Authorized requests to one registry: each request carries what the registry last asked for, a
 * 401 is answered once with what its challenge asks, and any status but the expected one (200
 * for reads) becomes the typed error it means (401, 403, 404, other).
 */
export class RegistrySession {
  constructor(
    private readonly http: HttpClient,
    private readonly auth: Authenticator,
  ) {}

  /** The 200 response, else the typed error its status means. */
  async get(url: URL, target: RequestTarget, accept?: string): Promise<HttpResponse> {
    const response = await this.send(url, target, accept);
    if (response.status !== 404) return response;
    throw new RegistryNotFoundError(target, (await errorBodyDetail(response)).slice(2));
  }

  /** As {@link get}, but undefined on 404, where absence is an answer. */
  async getOrNotFound(
    url: URL,
    target: RequestTarget,
    accept?: string,
  ): Promise<HttpResponse | undefined> {
    const response = await this.send(url, target, accept);
    if (response.status !== 404) return response;
    await response.discard();
    return undefined;
  }

  /**
   * A push (POST or PUT, with `pull,push` scope): the response when its status is one of
   * `expected`, else the typed error its status means.
   */
  async write(request: WriteRequest, expected: readonly number[]): Promise<HttpResponse> {
    const headers: Record<string, string> =
      request.contentType === undefined ? {} : { 'Content-Type': request.contentType };
    const scope = pushScope(request.target.repository);
    const { response, sent } = await this.exchange({ ...request, headers }, scope);
    if (expected.includes(response.status)) return response;
    throw await this.failure(response, request.target, sent, `${expected.join(' or ')}`, 'push');
  }

  /** A 200 or 404 response; a 401 is retried once with what its challenge asks for. */
  private async send(
    url: URL,
    target: RequestTarget,
    accept: string | undefined,
  ): Promise<HttpResponse> {
    const headers: Record<string, string> = accept === undefined ? {} : { Accept: accept };
    const { response, sent } = await this.exchange(
      { url, target, headers },
      pullScope(target.repository),
    );
    if (response.status === 200 || response.status === 404) return response;
    throw await this.failure(response, target, sent, '200', 'pull');
  }

  /** The request with what the registry asks for; a 401 is answered once with its challenge. */
  private async exchange(
    request: HttpRequest & { readonly headers: Record<string, string> },
    scope: string,
  ): Promise<{ response: HttpResponse; sent: string | undefined }> {
    const { target, headers } = request;
    let sent = await this.auth.authorization(scope, target);
    let response = await this.http.send({ ...request, headers: withAuthorization(headers, sent) });
    const challenge = response.headers.get('www-authenticate');
    if (response.status === 401 && (await this.auth.challenged(challenge, scope, sent, target))) {
      await response.discard();
      sent = await this.auth.authorization(scope, target);
      response = await this.http.send({ ...request, headers: withAuthorization(headers, sent) });
    }
    return { response, sent };
  }

  private async failure(
    response: HttpResponse,
    target: RequestTarget,
    sent: string | undefined,
    expected: string,
    access: 'pull' | 'push',
  ): Promise<RegistryError> {
    const detail = await errorBodyDetail(response);
    if (response.status === 401) {
      return new RegistryUnauthorizedError(target, await this.auth.explainRefusal(target, sent));
    }
    if (response.status === 403) {
      const who =
        sent === undefined
          ? `anonymous ${access === 'pull' ? 'pulls' : 'pushes'} are not allowed`
          : `the credentials do not grant ${access} access`;
      return new RegistryForbiddenError(target, who + detail);
    }
    return new RegistryResponseError(
      target,
      `expected ${expected}, got HTTP ${response.status}${detail}`,
      response.status,
    );
  }
}

function withAuthorization(
  headers: Record<string, string>,
  authorization: string | undefined,
): Record<string, string> {
  return authorization === undefined ? headers : { ...headers, Authorization: authorization };
}

/** `: MANIFEST_UNKNOWN manifest unknown` from a distribution error body, or ''. */
async function errorBodyDetail(response: HttpResponse): Promise<string> {
  try {
    const bytes = await response.bytes(
      MAX_ERROR_BODY_BYTES,
      () => new Error('error body too large'),
    );
    const doc: unknown = JSON.parse(bytes.toString('utf8'));
    const first: unknown = isObject(doc) && Array.isArray(doc.errors) ? doc.errors[0] : undefined;
    if (!isObject(first)) return '';
    const parts = [first.code, first.message].filter((p) => typeof p === 'string' && p !== '');
    return parts.length === 0 ? '' : `: ${parts.join(' ').slice(0, MAX_DETAIL_LENGTH)}`;
  } catch {
    // No body, not JSON, or too large: the status alone says enough.
    return '';
  }
}
