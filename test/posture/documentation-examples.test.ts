import { fixture, postureOf, statuses } from './support';

/** The formats' own documentation examples (test/fixtures/posture/docs/README.md says where from). */
describe('posture of the formats’ documentation examples', () => {
  it('Kubernetes security-context.yaml: non-root by the Pod, escalation blocked, the rest not hardened', async () => {
    const s = statuses(await postureOf(fixture('docs/k8s-security-context.yaml')));
    expect(s).toMatchObject({
      'run-as-non-root/sec-ctx-demo': 'pass',
      'no-new-privileges/sec-ctx-demo': 'pass',
      'privileged/sec-ctx-demo': 'pass',
      'capabilities-not-dropped/sec-ctx-demo': 'fail',
      'seccomp/sec-ctx-demo': 'fail',
      'memory-limit/sec-ctx-demo': 'fail',
      'image-pinned/sec-ctx-demo': 'fail',
      'sensitive-host-paths/sec-ctx-demo': 'pass',
    });
  });

  it('Kubernetes security-context-4.yaml: NET_ADMIN and SYS_TIME added', async () => {
    const report = await postureOf(fixture('docs/k8s-security-context-4.yaml'));
    const added = report.workloads[0]!.checks.find((c) => c.id === 'capabilities-added')!;
    expect(added).toMatchObject({ status: 'fail', cis: '5.4', reason: 'adds NET_ADMIN, SYS_TIME' });
    expect(report.workloads[0]!.verdict.decision).toBe('fail');
  });

  it('the ECS guide’s Fargate web server: awsvpc ports are no host ports, the task limits count, no user is set', async () => {
    const s = statuses(await postureOf(fixture('docs/ecs-fargate-webserver.json')));
    expect(s).toMatchObject({
      'privileged-ports/sample-fargate-app': 'pass',
      'memory-limit/sample-fargate-app': 'pass',
      'cpu-limit/sample-fargate-app': 'pass',
      'central-logging/sample-fargate-app': 'pass',
      'privileged/sample-fargate-app': 'not-applicable',
      'host-network': 'not-applicable',
      'run-as-non-root/sample-fargate-app': 'fail',
      'read-only-root-filesystem/sample-fargate-app': 'fail',
    });
  });

  it('the Compose Specification’s example: named volumes are no host mounts, 443 is published', async () => {
    const report = await postureOf(fixture('docs/compose-spec-example.yaml'));
    expect(report.workloads.map((w) => w.id)).toEqual(['compose:frontend', 'compose:backend']);
    const s = statuses(report);
    expect(s).toMatchObject({
      'sensitive-host-paths/backend': 'pass',
      'privileged-ports/frontend': 'fail',
      'image-pinned/frontend': 'fail',
      'memory-limit/backend': 'fail',
    });
  });
});
