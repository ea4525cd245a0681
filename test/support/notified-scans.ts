import type { NotifiedScan } from '../../shared/notify/messages';
import { evaluatedPlatform, failingPlatform, recordInput, recordedScan } from './pipeline-scans';

/*
 * The states Notify is told of, one per kind of verdict message: what the golden messages are
 * made from, and what the filter-policy and SNS tests publish.
 */

/** A first scan that fails: 2 critical, 1 high, a secret; quarantined (recorded). */
export const failingFirstScan: NotifiedScan = {
  ...recordedScan(recordInput([failingPlatform()]), {
    reasons: ['first scan: fail'],
    newSevereFindings: ['CVE-2026-0001', 'CVE-2026-0002', 'GHSA-abcd-efgh-ijkl'],
    previousDecision: null,
  }),
  quarantine: { mode: 'record', reason: 'fail: 2 critical, 1 high, secret found' },
};

/** A two-platform image that passed before and fails now; quarantined with a tag. */
export const failingMultiPlatform: NotifiedScan = {
  ...recordedScan(
    recordInput([
      failingPlatform(),
      failingPlatform({
        platform: 'linux/arm64',
        counts: { critical: 1, high: 3, medium: 0, low: 0, unknown: 1 },
        signature: 'invalid',
        failedChecks: ['root-user', 'no-healthcheck'],
      }),
    ]),
    {
      reasons: ['verdict pass → fail', '1 new critical/high (CVE-2026-0002)'],
      newSevereFindings: ['CVE-2026-0002'],
      previousDecision: 'pass',
    },
  ),
  quarantine: { mode: 'tag', tag: 'quarantine-7f5b2640fe6f', reason: 'fail: 2 critical' },
};

/** A verdict that failed before and still fails, with two new critical/high findings. */
export const newFindings: NotifiedScan = {
  ...recordedScan(recordInput([failingPlatform()]), {
    reasons: ['2 new critical/high (CVE-2026-0002, GHSA-abcd-efgh-ijkl)'],
    newSevereFindings: ['CVE-2026-0002', 'GHSA-abcd-efgh-ijkl'],
    previousDecision: 'fail',
  }),
  quarantine: { mode: 'record', reason: 'fail: 2 critical, 1 high, secret found' },
};

/** A warning where there was a pass: a medium finding and a warn rule; promoted. */
export const warning: NotifiedScan = {
  ...recordedScan(
    recordInput([
      evaluatedPlatform({
        decision: 'warn',
        counts: { critical: 0, high: 0, medium: 2, low: 1, unknown: 0 },
        topFindings: [
          {
            id: 'CVE-2026-1000',
            severity: 'MEDIUM',
            package: 'libxml2',
            version: '2.9.14',
            fixedVersion: '2.9.14+dfsg-1.3~deb12u2',
          },
        ],
        failedRules: [],
        warnedRules: ['base-image-pinned'],
      }),
    ]),
    { decision: 'warn', reasons: ['verdict pass → warn'], previousDecision: 'pass' },
  ),
  promotion: { promoted: true, repository: 'release/api', tag: '1.4.2' },
};

/** A pass where there was a fail: fixed, and promoted. */
export const fixed: NotifiedScan = {
  ...recordedScan(recordInput([evaluatedPlatform()]), {
    decision: 'pass',
    reasons: ['verdict fail → pass'],
    previousDecision: 'fail',
  }),
  promotion: { promoted: true, repository: 'release/api', tag: '1.4.2' },
};

/**
 * A warning a policy exception kept from failing, with an exception past its expiry; not
 * promoted (the release tag already names another digest).
 */
export const exceptedNotPromoted: NotifiedScan = {
  ...recordedScan(
    recordInput([
      evaluatedPlatform({
        decision: 'warn',
        counts: { critical: 0, high: 1, medium: 0, low: 0, unknown: 0 },
        severeFindings: ['CVE-2026-2000'],
        topFindings: [
          {
            id: 'CVE-2026-2000',
            severity: 'HIGH',
            package: 'busybox',
            version: '1.36.1-r2',
            fixedVersion: null,
          },
        ],
        failedRules: ['healthcheck'],
        exceptionsUsed: [
          {
            id: 'busybox-no-fix',
            rules: ['no-fixable-critical-high'],
            note: 'busybox-no-fix: no upstream fix yet (team-payments)',
          },
        ],
        expiredExceptions: [{ id: 'legacy-root', expires: '2026-10-31' }],
      }),
    ]),
    {
      decision: 'warn',
      reasons: ['first scan: warn'],
      newSevereFindings: ['CVE-2026-2000'],
      previousDecision: null,
    },
  ),
  promotion: {
    promoted: false,
    repository: 'release/api',
    reason: 'release/api:1.4.2 already names sha256:c0ffee111111',
  },
};

/**
 * An Amazon Linux image whose OS the data has no advisories for, and one of whose layers did not
 * verify: nothing found, and nothing passes; the alert says what could not be checked.
 */
export const incomplete: NotifiedScan = {
  ...recordedScan(
    recordInput([
      evaluatedPlatform({
        decision: 'fail',
        coverage: 'incomplete',
        gaps: [
          {
            kind: 'layer-unverified',
            subject: `sha256:${'e'.repeat(64)}`,
            reason: `uncompressed digest sha256:${'1'.repeat(64)} does not match diff_id sha256:${'2'.repeat(64)} (DIFF_ID_MISMATCH)`,
          },
          {
            kind: 'no-advisory-source',
            subject: 'amzn 2023',
            reason:
              '142 OS packages not checked: the image OS (amzn 2023) has no advisory source this version knows',
          },
        ],
      }),
    ]),
    { reasons: ['verdict pass → fail'], newSevereFindings: [], previousDecision: 'pass' },
  ),
  quarantine: { mode: 'record', reason: 'fail: incomplete' },
};
