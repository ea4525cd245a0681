import { join } from 'node:path';
import { DirectoryObjectStore } from '../../shared/objects';
import type { RematchedItem } from '../../shared/fleet/schemas';
import { secretHygieneLines } from '../../shared/fleet/digest-hygiene';
import { summarizeFleet, type FleetSummary } from '../../shared/fleet/summarize';
import type { ImageTarget } from '../../shared/pipeline/states';
import {
  secretHygiene,
  type HygieneFinding,
  type SecretLister,
  type SecretSummary,
} from '../../shared/rotation';
import { FakeAuditLog, FakeNotifier } from '../support/fleet-ports';
import { golden } from '../support/golden';
import { writeMapRun } from '../support/map-run';
import { useTempDir } from '../support/temp';

const RUN = 'nightly-7';
const NOW = new Date('2026-06-30T03:00:00Z');
const GOLDEN = join(__dirname, '..', 'fixtures', 'golden', 'fleet');
const DAY = 86_400_000;
const arn = (name: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}-AbCdEf`;
const TARGET: ImageTarget = {
  registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
  repository: 'team/web',
  digest: `sha256:${'a'.repeat(64)}`,
  tag: '1.0',
};

/** The account's secrets as ListSecrets would list them (a SecretLister of the test's own). */
class ListedSecrets implements SecretLister {
  constructor(private readonly secrets: SecretSummary[]) {}
  listSecrets(): Promise<SecretSummary[]> {
    return Promise.resolve(this.secrets);
  }
}

const SECRETS: SecretSummary[] = [
  {
    arn: arn('clearance/signing'),
    name: 'clearance/signing',
    rotationEnabled: true,
    kmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/1',
    lastRotatedDate: new Date(NOW.getTime() - 3 * DAY),
  },
  {
    arn: arn('team/db'),
    name: 'team/db',
    rotationEnabled: false,
    lastChangedDate: new Date(NOW.getTime() - 200 * DAY),
  },
];

describe('the fleet digest’s secret hygiene', () => {
  const dir = useTempDir();

  async function summarize(check?: ReturnType<typeof secretHygiene>) {
    const store = new DirectoryObjectStore(dir());
    const output: RematchedItem = {
      image: TARGET,
      rematched: true,
      decision: 'pass',
      previousDecision: 'pass',
      newSevereFindings: [],
      counts: { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 },
      changed: false,
      dataVersion: 'sha256:data',
    };
    const manifestKey = await writeMapRun(store, `fleet/${RUN}/results`, [
      { status: 'SUCCEEDED', input: { runId: RUN, image: TARGET }, output },
    ]);
    const notifier = new FakeNotifier();
    await summarizeFleet(
      { runId: RUN, manifestKey },
      {
        store,
        notifier,
        clock: () => NOW,
        link: (key) => `s3://artifacts/${key}`,
        secretHygiene: check,
      },
    );
    const summary = JSON.parse(
      (await store.get(`fleet/${RUN}/summary.json`))!.toString(),
    ) as FleetSummary;
    return { summary, notifier };
  }

  describe('when the run checks the account’s secrets', () => {
    it('reports the findings in the summary and the digest, as in the golden file', async () => {
      const audit = new FakeAuditLog();
      const check = secretHygiene({
        lister: new ListedSecrets(SECRETS),
        settings: { filter: {}, maxAgeDays: 90 },
        audit,
      });
      const { summary, notifier } = await summarize(check);
      expect(summary.secretHygiene).toMatchObject({ checked: 2, maxAgeDays: 90 });
      expect(summary.secretHygiene!.findings.map((f) => f.finding)).toEqual([
        'aws-managed-key',
        'rotation-disabled',
        'rotation-overdue',
      ]);
      expect(audit.events.map((e) => [e.type, e.details.finding])).toEqual([
        ['secret.rotated', 'aws-managed-key'],
        ['secret.rotated', 'rotation-disabled'],
        ['secret.rotated', 'rotation-overdue'],
      ]);
      const [actual] = notifier.published;
      expect(actual!.body).toContain('Secret hygiene (3 findings in 2 secrets');
      expect(actual).toEqual(golden(join(GOLDEN, 'digest-secret-hygiene.json'), actual));
    });
  });

  describe('when the run does not check secrets', () => {
    it('leaves the section and the summary field out', async () => {
      const { summary, notifier } = await summarize();
      expect('secretHygiene' in summary).toBe(false);
      expect(notifier.published[0]!.body).not.toContain('Secret hygiene');
    });
  });
});

describe('secretHygieneLines', () => {
  const finding = (i: number): HygieneFinding => ({
    secretArn: arn(`s${i}`),
    secretName: `s${String(i).padStart(2, '0')}`,
    finding: 'rotation-disabled',
    detail: 'rotation is not enabled',
  });

  it('says so when every secret is in order', () => {
    expect(secretHygieneLines({ checked: 4, maxAgeDays: 30, findings: [] })).toEqual([
      '',
      'Secret hygiene: 4 secrets checked, each rotated within 30 days and on a customer-managed key.',
    ]);
  });

  it('names twenty findings and counts the rest', () => {
    const lines = secretHygieneLines({
      checked: 25,
      maxAgeDays: 90,
      findings: Array.from({ length: 25 }, (_, i) => finding(i)),
    });
    expect(lines).toHaveLength(2 + 20 + 1);
    expect(lines.at(-1)).toBe('  … and 5 more in the report');
  });

  it('says why the secrets could not be checked, on one line', () => {
    const error =
      'Secrets Manager ListSecrets on the account failed: AccessDeniedException (HTTP 400): no\nmore';
    expect(secretHygieneLines({ checked: 0, maxAgeDays: 90, findings: [], error })).toEqual([
      '',
      'Secret hygiene could not be checked: Secrets Manager ListSecrets on the account failed: AccessDeniedException (HTTP 400): no',
    ]);
  });
});
