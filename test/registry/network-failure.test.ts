import { isPermanentNetworkFailure, networkFailure } from '../../shared/registry/network-failure';

describe('networkFailure', () => {
  describe('when a request to the registry got no response', () => {
    it.each([
      [
        'bad port',
        'http://localhost:1/v2/',
        /port 1 of localhost .*bad port.*: serve the registry on another port$/,
      ],
      [
        'ENOTFOUND',
        'https://nosuch.invalid/v2/',
        /^cannot resolve nosuch\.invalid \(ENOTFOUND\): is the registry's name right/,
      ],
      [
        'ECONNREFUSED',
        'http://127.0.0.1:5999/v2/',
        /^127\.0\.0\.1:5999 refused the connection .*: is the registry running/,
      ],
      [
        'ECONNRESET',
        'https://registry.local:5000/v2/',
        /broke \(ECONNRESET\): if the registry serves plain HTTP, use --plain-http$/,
      ],
      [
        'ECONNRESET',
        'http://registry.local:5000/v2/',
        /^the connection to registry\.local:5000 broke \(ECONNRESET\)$/,
      ],
      ['EWHATEVER', 'https://registry.local/v2/', /^network error EWHATEVER from registry\.local$/],
    ])('names the registry, the cause %s and a next step (%s)', (code, url, expected) => {
      expect(networkFailure(new URL(url), code)).toMatch(expected);
    });
  });

  it('tells a bad port (never retried) from failures worth retrying', () => {
    expect(isPermanentNetworkFailure('bad port')).toBe(true);
    expect(isPermanentNetworkFailure('ECONNREFUSED')).toBe(false);
  });
});
