import { errorCode } from '../registry';

/** Codes of a name that does not resolve: offline, or no DNS. */
const UNRESOLVED = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);
/** Codes of a connection that was never made, or broke. */
const REFUSED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN']);
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

/**
 * Why a request to `url` got no response, in words, from what `fetch` threw: its message is a
 * bare "fetch failed", the reason is in its `cause` (undici's error or the socket's).
 */
export function networkReason(url: string, error: unknown): string {
  const host = URL.canParse(url) ? new URL(url).host : url;
  const code = causeCode(error);
  if (UNRESOLVED.has(code))
    return `cannot resolve ${hostname(host)} (${code}): offline, or no DNS?`;
  if (REFUSED.has(code)) return `${host} refused the connection or cannot be reached (${code})`;
  if (BROKEN.has(code)) return `the connection to ${host} broke (${code})`;
  if (TIMED_OUT.has(code)) return `${host} did not answer in time (${code})`;
  if (TLS.test(code)) return `TLS with ${host} failed (${code}): ${deepestMessage(error)}`;
  const message = deepestMessage(error);
  if (message === 'bad port')
    return `fetch does not connect to the port of ${host} (a "bad port": https://fetch.spec.whatwg.org/#bad-port)`;
  return message;
}

/** The cause's code, or `TimeoutError` for an aborted fetch, else the deepest message. */
function causeCode(error: unknown): string {
  for (let current = error, depth = 0; depth < MAX_DEPTH; depth++) {
    if ((current as { name?: unknown } | null)?.name === 'TimeoutError') return 'TimeoutError';
    const next = (current as { cause?: unknown } | null)?.cause;
    if (next === undefined || next === null) break;
    current = next;
  }
  return errorCode(error);
}

/** The message of the innermost cause: "self-signed certificate", not "fetch failed". */
function deepestMessage(error: unknown): string {
  let message = String(error);
  for (let current = error, depth = 0; depth < MAX_DEPTH && current; depth++) {
    const { message: text, cause } = current as { message?: unknown; cause?: unknown };
    if (typeof text === 'string' && text !== '') message = text;
    current = cause;
  }
  return message;
}

function hostname(host: string): string {
  return host.replace(/:\d+$/, '');
}

const MAX_DEPTH = 5;
