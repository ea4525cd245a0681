import { fleetNotification } from '../../shared/fleet/digest';
import { failureNotification, verdictNotification } from '../../shared/notify/messages';
import type { Notification } from '../../shared/notify/notifier';
import { failureOf } from '../../shared/pipeline/record-failure';
import type { TeamSubscription } from '../../lib/config';
import { filterOf } from '../../lib/notifications';
import {
  exceptedNotPromoted,
  failingFirstScan,
  fixed,
  newFindings,
  warning,
} from '../support/notified-scans';
import { failureInput, imageTarget } from '../support/pipeline-scans';
import { matchesFilterPolicy, type FilterPolicy } from '../support/sns-filter-policy';
import { synthesize } from './synth';

/*
 * The per-team subscriptions as synthesized, evaluated against the attributes of the very
 * notifications the pipeline publishes: a filter that names a value no message carries (a
 * severity in upper case, say) would silence a team without anyone noticing.
 */

const TEAMS: TeamSubscription[] = [
  // Upper case, as a platform team may well write it: the messages say `critical`.
  { email: 'payments@example.com', repositoryPrefixes: ['payments/'], severities: ['CRITICAL'] },
  { email: 'billing@example.com', repositoryPrefixes: ['billing/', 'payments/api'] },
  { email: 'security@example.com', severities: ['critical', 'high'] },
];

/** The notifications of each kind, as the pipeline makes them. */
const NOTIFICATIONS: Record<string, Notification> = {
  'payments critical fail': verdictNotification(failingFirstScan),
  'payments new critical': verdictNotification(newFindings),
  'payments medium warn': verdictNotification(warning),
  'payments fixed': verdictNotification(fixed),
  'payments high warn': verdictNotification(exceptedNotPromoted),
  'billing critical fail': verdictNotification({
    ...failingFirstScan,
    image: imageTarget({ repository: 'billing/ledger' }),
  }),
  'payments-legacy critical fail': verdictNotification({
    ...failingFirstScan,
    image: imageTarget({ repository: 'payments-legacy/api' }),
  }),
  'fleet digest': fleetNotification(
    {
      schemaVersion: 1,
      runId: 'nightly-1',
      generatedAt: '2026-11-30T03:10:00.000Z',
      manifestKey: 'fleet/nightly-1/results/manifest.json',
      skipped: { artifacts: {}, promotionCopies: 0 },
      posture: {
        images: 1,
        pass: 0,
        warn: 0,
        fail: 1,
        needsScan: 0,
        scannedWithoutVerdict: 0,
        failed: 0,
        pending: 0,
      },
      maxSeverity: 'critical',
      rematched: 1,
      scanned: 0,
      newFindings: [],
      verdictChanges: [],
      worst: [],
      failures: [],
    },
    'fleet/nightly-1/summary.json',
    (key) => key,
  ),
};

describe('Notifications', () => {
  let policies: Map<string, FilterPolicy>;

  beforeAll(() => {
    const { template } = synthesize({ teamSubscriptions: TEAMS });
    const subscriptions = Object.values(template.findResources('AWS::SNS::Subscription')).map(
      (r) => (r as { Properties: Record<string, unknown> }).Properties,
    );
    policies = new Map(
      subscriptions.map((p) => [p.Endpoint as string, (p.FilterPolicy ?? {}) as FilterPolicy]),
    );
    for (const p of subscriptions) {
      expect(p.TopicArn).toEqual({ Ref: expect.stringMatching(/^NotificationsAlerts/) });
      // The default scope: the policy reads the message attributes, which the messages set.
      expect(p.FilterPolicyScope ?? 'MessageAttributes').toBe('MessageAttributes');
    }
  });

  /** The notifications the subscription of `email` receives. */
  const received = (email: string) =>
    Object.entries(NOTIFICATIONS)
      .filter(([, n]) => n.topic === 'alerts')
      .filter(([, n]) => matchesFilterPolicy(policies.get(email)!, n.attributes))
      .map(([name]) => name);

  describe('when a team subscribes to its repositories at a severity', () => {
    it('receives the alerts of its repositories at that severity, whatever the case it wrote', () => {
      expect(policies.get('payments@example.com')).toEqual({
        repository: [{ prefix: 'payments/' }],
        maxSeverity: ['critical'],
      });
      expect(received('payments@example.com')).toEqual([
        'payments critical fail',
        'payments new critical',
      ]);
    });
  });

  describe('when a team subscribes to repository prefixes only', () => {
    it('receives every alert of those repositories, and of no other', () => {
      expect(received('billing@example.com')).toEqual([
        'payments critical fail',
        'payments new critical',
        'payments medium warn',
        'payments fixed',
        'payments high warn',
        'billing critical fail',
      ]);
    });
  });

  describe('when a team subscribes to severities only', () => {
    it('receives the alerts of every repository at those severities, the fleet digest too', () => {
      expect(received('security@example.com')).toEqual([
        'payments critical fail',
        'payments new critical',
        'payments high warn',
        'billing critical fail',
        'payments-legacy critical fail',
        'fleet digest',
      ]);
    });
  });

  it('gives no team a failure: those go to the operations topic', () => {
    expect(failureNotification(failureOf(failureInput())).topic).toBe('operations');
  });

  describe('filterOf', () => {
    it('fails when a severity is one no message carries, naming it', () => {
      expect(() => filterOf({ email: 'a@example.com', severities: ['severe'] })).toThrow(
        'team subscription a@example.com: severities must be among critical, high, medium, low, unknown, none; got severe',
      );
    });

    it('fails when it would filter nothing', () => {
      expect(() => filterOf({ email: 'a@example.com', repositoryPrefixes: [] })).toThrow(
        /give repositoryPrefixes, severities or both/,
      );
    });
  });
});

describe('matchesFilterPolicy', () => {
  const attributes = { repository: 'payments/api', maxSeverity: 'high' };

  it.each([
    [{ repository: ['payments/api'] }, true],
    [{ repository: ['payments'] }, false],
    [{ repository: [{ prefix: 'payments/' }] }, true],
    [{ repository: [{ prefix: 'billing/' }, 'payments/api'] }, true],
    [{ repository: [{ prefix: 'payments/' }], maxSeverity: ['critical'] }, false],
    [{ maxSeverity: [{ 'anything-but': ['none', 'low'] }] }, true],
    [{ maxSeverity: [{ 'anything-but': 'high' }] }, false],
    [{ repository: [{ 'anything-but': { prefix: 'payments/' } }] }, false],
    [{ tag: [{ exists: false }] }, true],
    [{ tag: ['1.4.2'] }, false],
    [{ tag: [{ 'anything-but': 'x' }] }, false],
  ])('evaluates %j as %s', (policy, matches) => {
    expect(matchesFilterPolicy(policy, attributes)).toBe(matches);
  });

  it('fails on what it does not know rather than guess', () => {
    expect(() => matchesFilterPolicy({ maxSeverity: [{ suffix: 'h' }] }, attributes)).toThrow(
      'not supported',
    );
    expect(() => matchesFilterPolicy({ $or: [] }, attributes)).toThrow('not supported');
  });
});
