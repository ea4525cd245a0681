/** Codes of a registry name that does not resolve: a typo, offline, or no DNS. */
const UNRESOLVED = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);
/** Codes of a connection that was never made: nothing listens, or no route to the host. */
const REFUSED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN']);
/** Codes of a connection the server closed: often an HTTPS request to a plain-HTTP server. */
const BROKEN = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
/** What `fetch` says of a port it never connects to: https://fetch.spec.whatwg.org/#bad-port */
const BAD_PORT = 'bad port';

/**
 * A request to a registry that got no response, in words: the registry, the cause (its code)
 * and what to try next. `code` is the most specific code of what `fetch` threw.
 */
export function networkFailure(url: URL, code: string): string {
  const host = url.host;
  if (code === BAD_PORT)
    return `fetch never connects to port ${url.port} of ${url.hostname} (a "bad port": https://fetch.spec.whatwg.org/#bad-port): serve the registry on another port`;
  if (UNRESOLVED.has(code))
    return `cannot resolve ${url.hostname} (${code}): is the registry's name right, and is there DNS?`;
  if (REFUSED.has(code))
    return `${host} refused the connection or cannot be reached (${code}): is the registry running and listening on that port?`;
  if (BROKEN.has(code) && url.protocol === 'https:')
    return `the connection to ${host} broke (${code}): if the registry serves plain HTTP, use --plain-http`;
  if (BROKEN.has(code)) return `the connection to ${host} broke (${code})`;
  return `network error ${code} from ${host}`;
}

/** Whether retrying a failure with this code can ever succeed: a bad port never connects. */
export function isPermanentNetworkFailure(code: string): boolean {
  return code === BAD_PORT;
}
