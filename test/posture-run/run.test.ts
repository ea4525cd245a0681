import { digestOf, verdictOf } from '../support/stored-verdicts';
import { MemoryObjectStore } from '../support/pipeline-ports';
import { FakeVerdictStore } from '../support/fleet-ports';
import { PostureRunError, POSTURE_STEP, runPosture } from '../../shared/posture-run';
import type {
  EcrRegistryRecording,
  EcsInventoryRecording,
  JudgedReport,
  JudgedWorkload,
  PostureDocument,
  PostureRunDeps,
} from '../../shared/posture-run';
import type { PostureCheckResult } from '../../shared/posture/check';
import { bindStep } from '../../shared/pipeline';

const RUN = 'nightly-1';
const digest = digestOf;
const inventory: EcsInventoryRecording = {
  recording: 'clearance/ecs-inventory/v1',
  region: 'eu-west-1',
  accountId: '123456789012',
  capturedAt: '2026-12-07T03:00:00.000Z',
  clusters: [],
};
const registry: EcrRegistryRecording = {
  recording: 'clearance/ecr-registry/v1',
  registryId: '123456789012',
  region: 'eu-west-1',
  capturedAt: '2026-12-07T03:00:00.000Z',
  describeRegistry: { registryId: '123456789012' },
  pullThroughCacheRules: [],
  repositories: [],
};

function check(
  id: string,
  status: PostureCheckResult['status'],
  severity: PostureCheckResult['severity'] = 'HIGH',
): PostureCheckResult {
  return {
    id,
    title: id,
    severity,
    cis: null,
    status,
    container: null,
    evidence: [],
    reason: null,
    remediation: '',
  };
}

function workload(
  name: string,
  decision: JudgedWorkload['verdict']['decision'],
  checks: PostureCheckResult[],
  digests: string[] = [],
): JudgedWorkload {
  return {
    id: `ecs:${name}`,
    name,
    source: `posture/${RUN}/ecs-inventory.json`,
    checks,
    containers: [
      { name: 'app', image: { reference: `app/${name}:1`, digest: null }, runningDigests: digests },
    ],
    verdict: { decision },
  };
}

const REPORT: JudgedReport = {
  coverage: {
    gaps: [
      {
        subject: `posture/${RUN}/ecs-inventory.json#clusters[1]`,
        reason: 'cluster staging could not be read: AccessDeniedException',
      },
    ],
  },
  workloads: [
    workload('prod/web', 'pass', [check('privileged', 'pass')], [digest('a')]),
    workload(
      'prod/agent',
      'fail',
      [
        check('privileged', 'fail', 'CRITICAL'),
        check('docker-socket', 'fail'),
        check('read-only-root', 'fail', 'MEDIUM'),
      ],
      [digest('b')],
    ),
    workload(
      'prod/batch',
      'warn',
      [check('memory-limit', 'fail', 'MEDIUM'), check('seccomp', 'error')],
      [digest('c'), digest('a')],
    ),
  ],
  registry: {
    registry: { checks: [check('pull-through-trusted', 'pass')] },
    repositories: [
      { name: 'payments/api', checks: [check('tag-immutability', 'pass')] },
      {
        name: 'base',
        checks: [check('tag-immutability', 'fail'), check('lifecycle-policy', 'fail', 'LOW')],
      },
    ],
  },
};

const verdict = verdictOf;

class Metrics {
  readonly points: [string, string, number][] = [];
  addMetric(name: string, unit: string, value: number): void {
    this.points.push([name, unit, value]);
  }
}

function deps(overrides: Partial<PostureRunDeps> = {}) {
  const store = new MemoryObjectStore();
  const verdicts = new FakeVerdictStore();
  verdicts.byDigest.set(digest('a'), verdict(digest('a'), 'pass'));
  verdicts.byDigest.set(digest('b'), verdict(digest('b'), 'fail'));
  const judged: PostureDocument[][] = [];
  const metrics = new Metrics();
  const given: PostureRunDeps = {
    ecs: { collect: () => Promise.resolve(inventory) },
    registry: { collect: () => Promise.resolve(registry) },
    judge: async (documents, verdicts) => {
      judged.push([...documents]);
      await verdicts(digest('a'));
      return REPORT;
    },
    store,
    verdicts,
    metrics,
    ...overrides,
  };
  return { deps: given, store, judged, metrics };
}

const json = async (store: MemoryObjectStore, key: string) =>
  JSON.parse((await store.get(key))!.toString('utf8')) as unknown;

describe('runPosture', () => {
  describe('when both recordings are collected', () => {
    it('writes each recording and the report under posture/<runId>/, and judges the recordings', async () => {
      const { deps: d, store, judged } = deps();
      await runPosture({ runId: RUN }, d);
      expect(await json(store, `posture/${RUN}/ecs-inventory.json`)).toEqual(inventory);
      expect(await json(store, `posture/${RUN}/ecr-registry.json`)).toEqual(registry);
      expect(await json(store, `posture/${RUN}/report.json`)).toEqual(REPORT);
      expect(judged).toEqual([
        [
          { source: `posture/${RUN}/ecs-inventory.json`, value: inventory },
          { source: `posture/${RUN}/ecr-registry.json`, value: registry },
        ],
      ]);
    });

    it('summarizes the workloads by decision, the worst services, the images without a pass verdict, the failing repositories', async () => {
      const summary = await runPosture({ runId: RUN }, deps().deps);
      expect(summary).toEqual({
        status: 'completed',
        runId: RUN,
        reportKey: `posture/${RUN}/report.json`,
        recordings: {
          ecsInventory: `posture/${RUN}/ecs-inventory.json`,
          ecrRegistry: `posture/${RUN}/ecr-registry.json`,
        },
        collectionErrors: [],
        unread: [
          {
            source: `posture/${RUN}/ecs-inventory.json#clusters[1]`,
            reason: 'cluster staging could not be read: AccessDeniedException',
          },
        ],
        unreadTotal: 1,
        workloads: { total: 3, pass: 1, warn: 1, fail: 1, withErrors: 1 },
        worstServices: [
          {
            name: 'prod/agent',
            source: `posture/${RUN}/ecs-inventory.json`,
            decision: 'fail',
            failedSevere: 2,
            failedChecks: ['privileged', 'docker-socket', 'read-only-root'],
          },
        ],
        imagesWithoutPass: [
          {
            reference: 'app/prod/agent:1',
            digest: digest('b'),
            verdict: 'fail',
            workloads: ['prod/agent'],
          },
          {
            reference: 'app/prod/batch:1',
            digest: digest('c'),
            verdict: 'unknown',
            workloads: ['prod/batch'],
          },
        ],
        imagesWithoutPassTotal: 2,
        registry: {
          repositories: 2,
          failedChecks: 2,
          failing: [{ repository: 'base', failedChecks: ['tag-immutability', 'lifecycle-policy'] }],
          failingTotal: 1,
        },
      });
    });

    it('emits the metrics the alarms watch', async () => {
      const { deps: d, metrics } = deps();
      await runPosture({ runId: RUN }, d);
      expect(metrics.points).toEqual([
        ['PostureFailedWorkloads', 'Count', 1],
        ['ImagesRunningWithoutPass', 'Count', 2],
        ['RegistryChecksFailed', 'Count', 2],
        ['PosturePartsUnread', 'Count', 1],
      ]);
    });
  });

  describe('when one collection fails', () => {
    it('judges the other and says which failed, with no recording key for it', async () => {
      const {
        deps: d,
        store,
        judged,
      } = deps({
        registry: {
          collect: () =>
            Promise.reject(
              new Error('ECR DescribeRepositories on registry failed: AccessDeniedException'),
            ),
        },
      });
      const summary = await runPosture({ runId: RUN }, d);
      expect(judged[0]!.map((doc) => doc.source)).toEqual([`posture/${RUN}/ecs-inventory.json`]);
      expect(summary.collectionErrors).toEqual([
        {
          source: 'ecr',
          error: 'ECR DescribeRepositories on registry failed: AccessDeniedException',
        },
      ]);
      expect(summary.recordings.ecrRegistry).toBeNull();
      expect(await store.get(`posture/${RUN}/ecr-registry.json`)).toBeUndefined();
    });
  });

  it('fails when nothing could be collected, naming both failures', async () => {
    const { deps: d } = deps({
      ecs: { collect: () => Promise.reject(new Error('ECS ListClusters failed')) },
      registry: { collect: () => Promise.reject(new Error('ECR DescribeRepositories failed')) },
    });
    const failure = runPosture({ runId: RUN }, d);
    await expect(failure).rejects.toBeInstanceOf(PostureRunError);
    await expect(failure).rejects.toThrow(
      /ecs: ECS ListClusters failed; ecr: ECR DescribeRepositories failed/,
    );
  });

  it('asks the images table once per running digest', async () => {
    const { deps: d } = deps();
    const asked: string[] = [];
    const store = d.verdicts;
    await runPosture(
      { runId: RUN },
      { ...d, verdicts: { verdictOf: (x) => (asked.push(x), store.verdictOf(x)) } },
    );
    expect(asked.sort()).toEqual([digest('a'), digest('b'), digest('c')]);
  });
});

describe('POSTURE_STEP', () => {
  it('refuses a run id that cannot name objects, as input', async () => {
    await expect(bindStep(POSTURE_STEP, deps().deps)({ runId: '../x' })).rejects.toMatchObject({
      name: 'Clearance.Input',
    });
  });
});
