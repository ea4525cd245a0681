import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  MAX_SUBJECT_LENGTH,
  failureNotification,
  verdictNotification,
} from '../../shared/notify/messages';
import type { Notification } from '../../shared/notify/notifier';
import { failureOf } from '../../shared/pipeline/record-failure';
import { golden } from '../support/golden';
import {
  exceptedNotPromoted,
  incomplete,
  failingFirstScan,
  failingMultiPlatform,
  fixed,
  newFindings,
  warning,
} from '../support/notified-scans';
import { failureInput, imageTarget } from '../support/pipeline-scans';
import { notificationSchemaErrors } from '../support/schemas';

const GOLDEN = join(__dirname, '..', 'fixtures', 'golden', 'notifications');
const FLEET_GOLDEN = join(__dirname, '..', 'fixtures', 'golden', 'fleet');
const link = (key: string) => `s3://clearance-artifacts-123456789012/${key}`;

/** The notification with its body as lines, as the golden files keep it (readable in a diff). */
function readable(notification: Notification) {
  return { ...notification, body: notification.body.split('\n') };
}

describe('verdictNotification', () => {
  it.each([
    ['verdict-fail-first-scan', failingFirstScan],
    ['verdict-fail-multi-platform', failingMultiPlatform],
    ['verdict-new-findings', newFindings],
    ['verdict-warn', warning],
    ['verdict-pass-fixed', fixed],
    ['verdict-excepted-not-promoted', exceptedNotPromoted],
    ['verdict-incomplete', incomplete],
  ])('writes the %s message', (name, scan) => {
    const actual = readable(verdictNotification(scan, link));
    expect(actual).toEqual(golden(join(GOLDEN, `${name}.json`), actual));
  });

  describe('its subject', () => {
    it.each([
      [
        failingFirstScan,
        '[FAIL] payments/api:1.4.2 - 2 critical, 1 high, secret found, 2 rules failed, 1 check failed',
      ],
      [
        newFindings,
        '[FAIL] payments/api:1.4.2 - 2 new critical/high, 2 critical, 1 high, secret found, 2 rules failed',
      ],
      [fixed, '[PASS] payments/api:1.4.2 - fixed (was FAIL), no critical or high findings'],
      [warning, '[WARN] payments/api:1.4.2 - 1 warning, was PASS'],
    ])(
      'says the verdict, the image and the worst of it, in the issue shape (%#)',
      (scan, subject) => {
        expect(verdictNotification(scan).subject).toBe(subject);
      },
    );

    it('keeps to ASCII under 100 characters, dropping the least of the worst first', () => {
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
        image: imageTarget({ repository: `t/${'x'.repeat(120)}` }),
      };
      const { subject } = verdictNotification(scan);
      expect(subject).toHaveLength(MAX_SUBJECT_LENGTH);
      expect(subject.endsWith('...')).toBe(true);
    });

    it('writes a non-ASCII character of a local name as ?', () => {
      const scan = { ...fixed, image: imageTarget({ repository: 'équipe/api' }) };
      expect(verdictNotification(scan).subject).toMatch(/^\[PASS\] \?quipe\/api:1\.4\.2 - /);
    });
  });

  describe('its attributes', () => {
    it('are the ones subscriptions filter on', () => {
      expect(verdictNotification(failingMultiPlatform).attributes).toEqual({
        verdict: 'fail',
        maxSeverity: 'critical',
        repository: 'payments/api',
        eventType: 'verdict.changed',
      });
    });

    it('say findings.new when new critical/high findings, not the verdict, are the news', () => {
      expect(verdictNotification(newFindings).attributes.eventType).toBe('findings.new');
      expect(verdictNotification(newFindings).document.eventType).toBe('findings.new');
    });
  });

  describe('its JSON form', () => {
    it('repeats the attributes, and names the image, the counts and the versions', () => {
      const { document } = verdictNotification(failingMultiPlatform, link);
      expect(document).toMatchObject({
        eventType: 'verdict.changed',
        verdict: 'fail',
        maxSeverity: 'critical',
        previousVerdict: 'pass',
        scanId: 'scan-1',
        image: { registry: imageTarget().registry, repository: 'payments/api', tag: '1.4.2' },
        counts: { critical: 2, high: 3, medium: 4, low: 7, unknown: 1 },
        secrets: 1,
        failedChecks: ['no-healthcheck', 'root-user'],
        summary: link('scans/scan-1/summary.json'),
        quarantine: { mode: 'tag', tag: 'quarantine-7f5b2640fe6f' },
      });
    });

    it('names the tag null for an untagged image', () => {
      const scan = { ...fixed, image: imageTarget({ tag: undefined }) };
      expect(verdictNotification(scan).document).toMatchObject({ image: { tag: null } });
    });
  });

  it('has an id of the scan and the kind, so that a retry sends nothing new', () => {
    expect(verdictNotification(warning).id).toBe('scan-1:verdict');
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

  it('never carries a credential the error named, in the text or the JSON', () => {
    const input = failureInput({
      error: {
        Error: 'Clearance.Transient',
        Cause:
          'GET https://prod-eu-west-1-starport-layer-bucket.s3.eu-west-1.amazonaws.com/x?X-Amz-Security-Token=IQoJb3JpZ2luX2VjE&X-Amz-Signature=abc123 failed; Authorization: Bearer eyJhbGciOi.secret.token',
      },
    });
    const { body, document } = failureNotification(failureOf(input));
    expect(body).not.toMatch(/IQoJb3JpZ2luX2VjE|abc123|eyJhbGciOi/);
    expect(JSON.stringify(document)).not.toMatch(/IQoJb3JpZ2luX2VjE|abc123|eyJhbGciOi/);
  });
});

describe('golden notifications', () => {
  const goldens = [
    ...readdirSync(GOLDEN).map((file) => join(GOLDEN, file)),
    ...readdirSync(FLEET_GOLDEN).map((file) => join(FLEET_GOLDEN, file)),
  ].filter((file) => file.endsWith('.json'));

  it.each(goldens)('%s has a JSON form valid against notification.schema.json', (file) => {
    const notification = JSON.parse(readFileSync(file, 'utf8')) as Notification;
    expect(notificationSchemaErrors(notification.document)).toEqual([]);
  });

  it.each(goldens)('%s has an ASCII subject under 100 characters', (file) => {
    const { subject } = JSON.parse(readFileSync(file, 'utf8')) as Notification;
    expect(subject).toMatch(/^[\x21-\x7e][\x20-\x7e]{0,98}$/);
  });

  it('has a message of every kind', () => {
    const kinds = goldens.map((file) => {
      const { document } = JSON.parse(readFileSync(file, 'utf8')) as Notification;
      return `${document.eventType} ${document.verdict}`;
    });
    expect(new Set(kinds)).toEqual(
      new Set([
        'verdict.changed fail',
        'verdict.changed warn',
        'verdict.changed pass',
        'findings.new fail',
        'scan.failed error',
        'fleet.summary fail',
        'fleet.summary pass',
      ]),
    );
  });
});
