import { join } from 'node:path';
import {
  MAX_SUBJECT_LENGTH,
  failureNotification,
  verdictNotification,
  type NotifiedScan,
} from '../../shared/pipeline/messages';
import type { Notification } from '../../shared/pipeline';
import { failureOf } from '../../shared/pipeline/record-failure';
import { golden } from '../support/golden';
import {
  evaluatedPlatform,
  failingPlatform,
  failureInput,
  imageTarget,
  recordInput,
  recordedScan,
} from '../support/pipeline-scans';

const GOLDEN = join(__dirname, '..', 'fixtures', 'golden', 'notifications');
const link = (key: string) => `s3://clearance-artifacts-123456789012/${key}`;

/** The notification with its body as lines, as the golden files keep it (readable in a diff). */
function readable(notification: Notification) {
  return { ...notification, body: notification.body.split('\n') };
}

const failingFirstScan: NotifiedScan = {
  ...recordedScan(recordInput([failingPlatform()]), {
    reasons: ['first scan: fail'],
    newSevereFindings: ['CVE-2026-0001', 'CVE-2026-0002', 'GHSA-abcd-efgh-ijkl'],
  }),
  quarantine: { mode: 'record', reason: 'fail: 2 critical, 1 high, secret found' },
};

const failingMultiPlatform: NotifiedScan = {
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
    },
  ),
  quarantine: { mode: 'tag', tag: 'quarantine-7f5b2640fe6f', reason: 'fail: 2 critical' },
};

const warning: NotifiedScan = {
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
        failedRules: ['base-image-pinned'],
      }),
    ]),
    { decision: 'warn', reasons: ['verdict pass → warn'] },
  ),
  promotion: { promoted: true, repository: 'release/api', tag: '1.4.2' },
};

const nowPassing: NotifiedScan = {
  ...recordedScan(recordInput([evaluatedPlatform()]), {
    decision: 'pass',
    reasons: ['verdict fail → pass'],
  }),
  promotion: { promoted: true, repository: 'release/api', tag: '1.4.2' },
};

describe('verdictNotification', () => {
  it.each([
    ['verdict-fail-first-scan', failingFirstScan],
    ['verdict-fail-multi-platform', failingMultiPlatform],
    ['verdict-warn', warning],
    ['verdict-pass', nowPassing],
  ])('writes the %s message', (name, scan) => {
    const actual = readable(verdictNotification(scan, link));
    expect(actual).toEqual(golden(join(GOLDEN, `${name}.json`), actual));
  });

  it('says the verdict, the image and the worst of it in the subject', () => {
    expect(verdictNotification(failingFirstScan).subject).toBe(
      '[FAIL] payments/api:1.4.2 - 2 critical, 1 high, secret found, 2 rules failed, 1 check failed',
    );
  });

  it('sets the attributes subscriptions filter on', () => {
    expect(verdictNotification(failingMultiPlatform).attributes).toEqual({
      verdict: 'fail',
      maxSeverity: 'critical',
      repository: 'payments/api',
      eventType: 'verdict.changed',
    });
  });

  it('has an id of the scan and the kind, so that a retry sends nothing new', () => {
    expect(verdictNotification(warning).id).toBe('scan-1:verdict');
  });

  describe('when the image name is long', () => {
    it('keeps the subject to ASCII under 100 characters, dropping the least of the worst first', () => {
      const scan = {
        ...failingFirstScan,
        image: imageTarget({ repository: `team/${'very-long-service-name-'.repeat(2)}api` }),
      };
      const { subject } = verdictNotification(scan);
      expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
      expect(subject).toMatch(/^[\x20-\x7e]+$/);
      expect(subject).toMatch(/ - 2 critical, 1 high/);
      expect(subject).not.toMatch(/check failed/);
    });

    it('cuts the name itself when nothing else is left to drop', () => {
      const scan = {
        ...failingFirstScan,
        image: imageTarget({ repository: `team/${'x'.repeat(120)}` }),
      };
      const { subject } = verdictNotification(scan);
      expect(subject).toHaveLength(MAX_SUBJECT_LENGTH);
      expect(subject.endsWith('...')).toBe(true);
    });
  });
});

describe('failureNotification', () => {
  it.each([
    ['failure-transient', failureInput()],
    [
      'failure-before-resolve',
      failureInput({
        scanId: undefined,
        error: {
          Error: 'Clearance.Input',
          Cause: JSON.stringify({
            errorType: 'Clearance.Input',
            errorMessage:
              'IMAGE_NOT_FOUND: payments/api@sha256:7f5b2640fe6f… is not in the registry',
          }),
        },
      }),
    ],
    [
      'failure-unknown-image',
      { error: { Error: 'Clearance.Bug', Cause: 'TypeError: x is undefined' } },
    ],
  ])('writes the %s message', (name, input) => {
    const actual = readable(failureNotification(failureOf(input)));
    expect(actual).toEqual(golden(join(GOLDEN, `${name}.json`), actual));
  });

  it('goes to operations with the attributes of a failure', () => {
    const notification = failureNotification(failureOf(failureInput()));
    expect(notification).toMatchObject({
      id: 'scan-1:failure',
      topic: 'operations',
      subject: '[ERROR] payments/api:1.4.2 - scan failed: Clearance.Transient',
      attributes: {
        verdict: 'error',
        maxSeverity: 'none',
        repository: 'payments/api',
        eventType: 'scan.failed',
      },
    });
  });

  it('never carries a credential the error named', () => {
    const input = failureInput({
      error: {
        Error: 'Clearance.Transient',
        Cause:
          'GET https://prod-eu-west-1-starport-layer-bucket.s3.eu-west-1.amazonaws.com/x?X-Amz-Security-Token=IQoJb3JpZ2luX2VjE&X-Amz-Signature=abc123 failed; Authorization: Bearer eyJhbGciOi.secret.token',
      },
    });
    const { body } = failureNotification(failureOf(input));
    expect(body).not.toMatch(/IQoJb3JpZ2luX2VjE|abc123|eyJhbGciOi/);
  });
});
