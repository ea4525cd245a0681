/** Verdict predicates and signed envelopes for the attest tests. */
import { signVerdict, type SigningKey, type VerdictPredicate } from '../../shared/attest';

export const IMAGE_DIGEST = `sha256:${'ab'.repeat(32)}`;
export const OTHER_DIGEST = `sha256:${'cd'.repeat(32)}`;

/** A passing verdict signed at `time`. */
export function predicate(overrides: Partial<VerdictPredicate> = {}): VerdictPredicate {
  return {
    decision: 'pass',
    policy: { name: 'default', digest: `sha256:${'11'.repeat(32)}` },
    vulnerabilityDataVersion: '2026-11-29T06:00:00Z',
    analyzerSet: 'analyzers-v1',
    counts: {
      critical: 0,
      high: 0,
      medium: 1,
      low: 2,
      unknown: 0,
      secrets: 0,
      failedChecks: 0,
      failedRules: 0,
    },
    failedChecks: [],
    failedRules: [],
    platforms: [
      {
        platform: 'linux/amd64',
        manifestDigest: OTHER_DIGEST,
        decision: 'pass',
        counts: { critical: 0, high: 0, medium: 1, low: 2, unknown: 0 },
      },
    ],
    time: '2026-11-29T10:00:00.000Z',
    scanId: 'scan-1',
    ...overrides,
  };
}

/** The envelope bytes of `predicate` about `digest`, found as attestation `name`. */
export function envelope(
  key: SigningKey,
  overrides: Partial<VerdictPredicate> = {},
  digest = IMAGE_DIGEST,
): { attestation: string; bytes: Buffer } {
  return {
    attestation: `sha256:${'ee'.repeat(32)}`,
    bytes: signVerdict('team/app', digest, predicate(overrides), key),
  };
}

/** The `code` of what `run` throws, or undefined when it throws nothing. */
export function codeOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return (error as { code?: unknown }).code;
  }
  return undefined;
}
