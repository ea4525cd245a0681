import {
  backoffDelay,
  DEFAULT_RETRY,
  isRetryableStatus,
  parseRetryAfter,
  retryPolicy,
} from '../../shared/registry/retry';

describe('retryPolicy', () => {
  describe('when no options are given', () => {
    it('uses 4 attempts, 500 ms base delay and a 30 s cap', () => {
      expect(retryPolicy()).toEqual({ attempts: 4, baseDelayMs: 500, maxDelayMs: 30_000 });
    });
  });

  describe('when options are nonsensical', () => {
    it('falls back to the defaults', () => {
      expect(retryPolicy({ attempts: 0, baseDelayMs: -1, maxDelayMs: Number.NaN })).toEqual(
        DEFAULT_RETRY,
      );
    });
  });
});

describe('isRetryableStatus', () => {
  it.each([429, 500, 502, 503, 504])('retries HTTP %d', (status) => {
    expect(isRetryableStatus(status)).toBe(true);
  });

  it.each([200, 307, 400, 401, 403, 404, 501, 505])('does not retry HTTP %d', (status) => {
    expect(isRetryableStatus(status)).toBe(false);
  });
});

describe('backoffDelay', () => {
  const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };

  it.each([
    [0, 100],
    [1, 200],
    [2, 400],
    [3, 800],
    [4, 1_000],
  ])('draws from [0, ceiling] before retry %d, the ceiling %d ms', (retry, ceiling) => {
    expect(backoffDelay(retry, policy, () => 0)).toBe(0);
    expect(backoffDelay(retry, policy, () => 0.999_999)).toBe(ceiling - 1);
    expect(backoffDelay(retry, policy, () => 0.5)).toBe(ceiling / 2);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
  });

  it('reads an HTTP-date as the time left until it', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
  });

  it('reads an HTTP-date in the past as no wait', () => {
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });

  it.each([null, '', 'soon', '-5', '1.5'])('ignores %p', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});
