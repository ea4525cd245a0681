import { networkReason } from '../../shared/vulndb/network-reason';

const URL = 'https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip';
const HOST = 'osv-vulnerabilities.storage.googleapis.com';

/** What `fetch` throws: a bare "fetch failed" whose cause says why. */
function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

function coded(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe('networkReason', () => {
  it.each([
    [
      'an unresolved name (offline)',
      fetchFailed(coded('ENOTFOUND', `getaddrinfo ENOTFOUND ${HOST}`)),
      `cannot resolve ${HOST} (ENOTFOUND): offline, or no DNS?`,
    ],
    [
      'a refused connection',
      fetchFailed(coded('ECONNREFUSED')),
      `${HOST} refused the connection or cannot be reached (ECONNREFUSED)`,
    ],
    [
      'a broken connection',
      fetchFailed(coded('UND_ERR_SOCKET', 'other side closed')),
      `the connection to ${HOST} broke (UND_ERR_SOCKET)`,
    ],
    [
      'a connect timeout',
      fetchFailed(coded('UND_ERR_CONNECT_TIMEOUT')),
      `${HOST} did not answer in time (UND_ERR_CONNECT_TIMEOUT)`,
    ],
    [
      'an aborted fetch (AbortSignal.timeout)',
      new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      `${HOST} did not answer in time (TimeoutError)`,
    ],
    [
      'a certificate that does not verify',
      fetchFailed(coded('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate')),
      `TLS with ${HOST} failed (DEPTH_ZERO_SELF_SIGNED_CERT): self-signed certificate`,
    ],
    ['anything else', fetchFailed(new Error('something odd')), 'something odd'],
  ])('says %s', (_, error, reason) => {
    expect(networkReason(URL, error)).toBe(reason);
  });
});
