import { join } from 'node:path';
import { DirectoryObjectStore } from '../../shared/objects';
import type { RematchedItem } from '../../shared/fleet/schemas';
import { runtimePostureLines } from '../../shared/fleet/digest-posture';
import { SUMMARIZE_STEP, type FleetSummary } from '../../shared/fleet/summarize';
import { bindStep } from '../../shared/pipeline';
import type { ImageTarget } from '../../shared/pipeline/states';
import type { PostureRunFailure, PostureRunSummary } from '../../shared/posture-run';
import { FakeNotifier } from '../support/fleet-ports';
import { golden } from '../support/golden';
import { writeMapRun } from '../support/map-run';
import { notificationSchemaErrors } from '../support/schemas';
import { useTempDir } from '../support/temp';

const RUN = 'nightly-8';
const NOW = new Date('2026-12-07T04:00:00Z');
const GOLDEN = join(__dirname, '..', 'fixtures', 'golden', 'fleet');
const digest = (c: string) => `sha256:${c.repeat(64)}`;
const TARGET: ImageTarget = {
  registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
  repository: 'team/web',
  digest: digest('a'),
  tag: '1.0',
};

const SUMMARY: PostureRunSummary = {
  status: 'completed',
  runId: RUN,
  reportKey: `posture/${RUN}/report.json`,
  recordings: {
    ecsInventory: `posture/${RUN}/ecs-inventory.json`,
    ecrRegistry: `posture/${RUN}/ecr-registry.json`,
  },
  collectionErrors: [],
  unread: [],
  unreadTotal: 0,
  workloads: { total: 3, pass: 1, warn: 1, fail: 1, withErrors: 1 },
  worstServices: [
    {
      name: 'prod/service:agent',
      source: `posture/${RUN}/ecs-inventory.json`,
      decision: 'fail',
      failedSevere: 2,
      failedChecks: ['ecs-docker-socket', 'ecs-privileged'],
    },
  ],
  imagesWithoutPass: [
    {
      reference: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/agent:4',
      digest: digest('d'),
      verdict: 'fail',
      workloads: ['prod/service:agent'],
    },
    {
      reference: null,
      digest: digest('e'),
      verdict: 'unknown',
      workloads: ['prod/family:migrate'],
    },
  ],
  imagesWithoutPassTotal: 2,
  registry: {
    repositories: 2,
    failedChecks: 3,
    failing: [
      {
        repository: 'base',
        failedChecks: ['ecr-kms-encryption', 'ecr-lifecycle-policy', 'ecr-tag-immutability'],
      },
    ],
    failingTotal: 1,
  },
};
const FAILED: PostureRunFailure = {
  status: 'failed',
  error: 'Clearance.Input',
  cause:
    'POSTURE_NOT_COLLECTED: nothing to judge: ecs: ECS ListClusters on eu-west-1 failed: AccessDeniedException\nmore',
};

describe('the fleet digest’s runtime posture', () => {
  const dir = useTempDir();

  /** Summarize, through its binding (the input parsed as the state machine hands it). */
  async function summarize(posture?: unknown) {
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
    const summarizeStep = bindStep(SUMMARIZE_STEP, {
      store,
      notifier,
      clock: () => NOW,
      link: (key: string) => `s3://artifacts/${key}`,
    });
    await summarizeStep({ runId: RUN, manifestKey, ...(posture !== undefined && { posture }) });
    const summary = JSON.parse(
      (await store.get(`fleet/${RUN}/summary.json`))!.toString(),
    ) as FleetSummary;
    return { summary, notification: notifier.published[0]! };
  }

  describe('when the posture run completed', () => {
    it('puts its summary in the report and a section in the digest, as in the golden file', async () => {
      const { summary, notification } = await summarize(SUMMARY);
      expect(summary.runtimePosture).toEqual(SUMMARY);
      expect(summary.posture.images).toBe(1);
      expect(notification.body).toContain(
        'Runtime posture (s3://artifacts/posture/nightly-8/report.json): 3 workloads',
      );
      expect(notificationSchemaErrors(notification.document)).toEqual([]);
      expect(notification).toEqual(
        golden(join(GOLDEN, 'digest-runtime-posture.json'), notification),
      );
    });
  });

  describe('when the posture run failed', () => {
    it('says so in the digest, and the fleet digest is sent as ever', async () => {
      const { summary, notification } = await summarize(FAILED);
      expect(summary.runtimePosture).toEqual(FAILED);
      expect(notification.body).toContain(
        'Runtime posture could not be checked: Clearance.Input: POSTURE_NOT_COLLECTED: nothing to judge: ecs: ECS ListClusters on eu-west-1 failed: AccessDeniedException',
      );
      expect(notification.body).not.toContain('more');
      expect(notificationSchemaErrors(notification.document)).toEqual([]);
    });
  });

  describe('when the run had no posture step', () => {
    it('leaves the section and the fields out', async () => {
      const { summary, notification } = await summarize();
      expect('runtimePosture' in summary).toBe(false);
      expect('runtimePosture' in (notification.document as object)).toBe(false);
      expect(notification.body).not.toContain('Runtime posture');
      expect(notificationSchemaErrors(notification.document)).toEqual([]);
    });
  });

  it('fails when the posture summary is not of its shape, as input', async () => {
    await expect(summarize({ status: 'completed' })).rejects.toMatchObject({
      name: 'Clearance.Input',
    });
  });
});

describe('runtimePostureLines', () => {
  it('says every registry check passed when none failed, and lists no empty section', () => {
    const lines = runtimePostureLines({
      ...SUMMARY,
      worstServices: [],
      imagesWithoutPass: [],
      imagesWithoutPassTotal: 0,
      collectionErrors: [
        { source: 'ecs', error: 'ECS ListClusters on eu-west-1 failed: ThrottlingException\nat …' },
      ],
      registry: { repositories: 4, failedChecks: 0, failing: [], failingTotal: 0 },
    });
    expect(lines).toEqual([
      '',
      'Runtime posture (posture/nightly-8/report.json): 3 workloads',
      '  fail 1, warn 1, pass 1; 1 with checks in error',
      '  not collected (ecs): ECS ListClusters on eu-west-1 failed: ThrottlingException',
      '',
      'Registry: 4 watched repositories, every check passed.',
    ]);
  });

  it('counts the images it does not name', () => {
    const many = Array.from({ length: 25 }, (_, i) => ({
      reference: `app:${i}`,
      digest: digest('f'),
      verdict: 'unknown' as const,
      workloads: ['w'],
    }));
    const lines = runtimePostureLines({
      ...SUMMARY,
      imagesWithoutPass: many,
      imagesWithoutPassTotal: 60,
    });
    expect(lines).toContain('Images running without a pass verdict (60)');
    expect(lines).toContain('  … and 40 more in the report');
  });

  it('says which parts of the account were not read, so not checked, naming five', () => {
    const unread = Array.from({ length: 7 }, (_, i) => ({
      source: `posture/${RUN}/ecs-inventory.json#clusters[${i}]`,
      reason: `cluster c${i} could not be read: AccessDeniedException`,
    }));
    const lines = runtimePostureLines({ ...SUMMARY, unread, unreadTotal: 7 });
    expect(lines.slice(3, 10)).toEqual([
      '  not read, so not checked (7):',
      ...unread.slice(0, 5).map((u) => `    ${u.source}: ${u.reason}`),
      '    … and 2 more in the report',
    ]);
  });

  it('is empty when there was no posture run', () => {
    expect(runtimePostureLines(undefined)).toEqual([]);
  });
});
