import { digestOf, verdictOf } from '../support/stored-verdicts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { postureJudge, runPosture, type PostureRunDeps } from '../../shared/posture-run';
import { FakeVerdictStore } from '../support/fleet-ports';
import { MemoryObjectStore } from '../support/pipeline-ports';

const GOLDEN = join(__dirname, '..', 'fixtures', 'golden', 'posture-run');
const recorded = (name: string) => JSON.parse(readFileSync(join(GOLDEN, name), 'utf8')) as never;
const digest = digestOf;

const verdict = verdictOf;

describe('postureJudge', () => {
  it('judges the recordings the collectors made (the golden files) with shared/posture and the images table', async () => {
    const verdicts = new FakeVerdictStore();
    verdicts.byDigest.set(digest('c'), verdict(digest('c'), 'pass'));
    verdicts.byDigest.set(digest('d'), verdict(digest('d'), 'fail'));
    const store = new MemoryObjectStore();
    const deps: PostureRunDeps = {
      ecs: { collect: () => Promise.resolve(recorded('ecs-inventory.json')) },
      registry: { collect: () => Promise.resolve(recorded('ecr-registry.json')) },
      judge: postureJudge({ clock: () => new Date('2026-12-07T03:10:00Z') }),
      store,
      verdicts,
    };
    const summary = await runPosture({ runId: 'nightly-1' }, deps);
    const report = store.json('posture/nightly-1/report.json') as {
      benchmark: string;
      documents: { kind: string; status: string }[];
      workloads: { name: string; containers: { verdict: { verdict: string } | null }[] }[];
    };
    expect(report.benchmark).toBe('CIS Docker Benchmark v1.6.0');
    expect(report.documents.map((d) => [d.kind, d.status])).toEqual([
      ['ecs-inventory', 'read'],
      ['ecr', 'read'],
    ]);
    // The running digest's verdict reaches the report through the images table.
    const agent = report.workloads.find((w) => w.name === 'prod/service:agent')!;
    expect(agent.containers[0]!.verdict).toMatchObject({
      verdict: 'fail',
      source: 'the images table',
    });
    expect(summary.workloads.total).toBe(3);
    expect(summary.worstServices[0]).toMatchObject({
      name: 'prod/service:agent',
      decision: 'fail',
      failedChecks: expect.arrayContaining(['privileged', 'docker-socket']),
    });
    // The CRITICAL ones first.
    expect(summary.worstServices[0]!.failedChecks.slice(0, 2).sort()).toEqual([
      'docker-socket',
      'privileged',
    ]);
    expect(summary.worstServices.map((s) => s.name)).not.toContain('prod/service:web');
    expect(summary.imagesWithoutPass.map((i) => [i.digest, i.verdict])).toEqual([
      [digest('d'), 'fail'],
      [digest('e'), 'unknown'],
    ]);
    expect(summary.registry!.failing.map((r) => r.repository)).toEqual(['base', 'payments/api']);
    expect(summary.registry!.failing[0]!.failedChecks).toEqual(
      expect.arrayContaining(['ecr-tag-immutability', 'ecr-lifecycle-policy']),
    );
    expect(summary.registry!.failing[1]!.failedChecks).toContain('ecr-policy-public');
  });
});
