/**
 * Why a request got no response, told from the most specific code of what `fetch` threw
 * (`errorCode`): the one classification registry requests and downloads both phrase.
 */
export type NetworkCause =
  'unresolved' | 'refused' | 'broken' | 'timed-out' | 'tls' | 'bad-port' | 'other';

/** Codes of a name that does not resolve: a typo, offline, or no DNS. */
const UNRESOLVED = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);
/** Codes of a connection that was never made: nothing listens, or no route to the host. */
const REFUSED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN']);
/** Codes of a connection the server closed: often an HTTPS request to a plain-HTTP server. */
const BROKEN = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
/** undici's and the socket's timeouts; `AbortSignal.timeout` fails with a `TimeoutError`. */
const TIMED_OUT = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'TimeoutError',
]);
/** OpenSSL's certificate codes (`CERT_HAS_EXPIRED`, `DEPTH_ZERO_SELF_SIGNED_CERT`) and Node's TLS ones. */
const TLS = /CERT|^ERR_TLS|^ERR_SSL|^UNABLE_TO_|^EPROTO$/;
/** What `fetch` says of a port it never connects to: https://fetch.spec.whatwg.org/#bad-port */
const BAD_PORT = 'bad port';

/** The cause of a failure with this code. */
export function networkCauseOf(code: string): NetworkCause {
  if (code === BAD_PORT) return 'bad-port';
  if (UNRESOLVED.has(code)) return 'unresolved';
  if (REFUSED.has(code)) return 'refused';
  if (BROKEN.has(code)) return 'broken';
  if (TIMED_OUT.has(code)) return 'timed-out';
  if (TLS.test(code)) return 'tls';
  return 'other';
}

/**
 * A request to a registry that got no response, in words: the registry, the cause (its code)
 * and what to try next. `code` is the most specific code of what `fetch` threw.
 */
export function networkFailure(url: URL, code: string): string {
  const host = url.host;
  switch (networkCauseOf(code)) {
    case 'bad-port':
      return `fetch never connects to port ${url.port} of ${url.hostname} (a "bad port": https://fetch.spec.whatwg.org/#bad-port): serve the registry on another port`;
    case 'unresolved':
      return `cannot resolve ${url.hostname} (${code}): is the registry's name right, and is there DNS?`;
    case 'refused':
      return `${host} refused the connection or cannot be reached (${code}): is the registry running and listening on that port?`;
    case 'broken':
      return url.protocol === 'https:'
        ? `the connection to ${host} broke (${code}): if the registry serves plain HTTP, use --plain-http`
        : `the connection to ${host} broke (${code})`;
    default:
      return `network error ${code} from ${host}`;
  }
}

/** Whether retrying a failure with this code can ever succeed: a bad port never connects. */
export function isPermanentNetworkFailure(code: string): boolean {
  return networkCauseOf(code) === 'bad-port';
}
