import { errorCode, networkCauseOf } from '../registry';

/**
 * Why a request to `url` got no response, in words, from what `fetch` threw: its message is a
 * bare "fetch failed", the reason is in its `cause` (undici's error or the socket's).
 */
export function networkReason(url: string, error: unknown): string {
  const host = URL.canParse(url) ? new URL(url).host : url;
  const code = causeCode(error);
  switch (networkCauseOf(code)) {
    case 'unresolved':
      return `cannot resolve ${hostname(host)} (${code}): offline, or no DNS?`;
    case 'refused':
      return `${host} refused the connection or cannot be reached (${code})`;
    case 'broken':
      return `the connection to ${host} broke (${code})`;
    case 'timed-out':
      return `${host} did not answer in time (${code})`;
    case 'tls':
      return `TLS with ${host} failed (${code}): ${deepestMessage(error)}`;
    case 'bad-port':
      return `fetch does not connect to the port of ${host} (a "bad port": https://fetch.spec.whatwg.org/#bad-port)`;
    default:
      return deepestMessage(error);
  }
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
