import type { StoredVerdict } from '../../shared/pipeline';

/** `sha256:` and 64 times `c`: a digest that reads as what it stands for. */
export const digestOf = (c: string): string => `sha256:${c.repeat(64)}`;

/** A stored verdict of digest `d` with nothing but its decision: what the posture run looks up. */
export function verdictOf(d: string, decision: StoredVerdict['decision']): StoredVerdict {
  return {
    digest: d,
    decision,
    scanId: `scan-${d.slice(7, 10)}`,
    recordedAt: '2026-12-07T02:00:00.000Z',
    severeFindings: [],
    policyDigest: 'sha256:p',
    dataVersion: 'v1',
    analyzerSet: 'a1',
    platforms: [],
  };
}
