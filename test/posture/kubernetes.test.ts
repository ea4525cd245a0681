import { fixture, postureOf, statuses } from './support';

describe('posture of Kubernetes workloads', () => {
  it('passes a Deployment that meets the restricted Pod Security Standard, reading Pod-level defaults', async () => {
    const report = await postureOf(fixture('kubernetes/deployment-restricted.yaml'));
    const workload = report.workloads[0]!;
    expect(workload).toMatchObject({
      id: 'kubernetes:shop/Deployment/checkout',
      namespace: 'shop',
      kind: 'Deployment',
    });
    expect(workload.verdict.decision).toBe('pass');
    const seccomp = workload.checks.find((c) => c.id === 'seccomp')!;
    expect(seccomp).toMatchObject({
      status: 'pass',
      evidence: [
        { path: 'spec.template.spec.securityContext.seccompProfile', value: 'RuntimeDefault' },
      ],
    });
    const user = workload.checks.find((c) => c.id === 'run-as-non-root')!;
    expect(user).toMatchObject({
      status: 'pass',
      evidence: [{ path: 'spec.template.spec.securityContext.runAsUser', value: 10001 }],
    });
    expect(statuses(report)['pids-limit/checkout']).toBe('not-applicable');
    expect(statuses(report)['central-logging/checkout']).toBe('not-applicable');
  });

  it('fails a DaemonSet that shares the host and runs privileged, with securityContext remediation', async () => {
    const report = await postureOf(fixture('kubernetes/daemonset-insecure.yaml'));
    const s = statuses(report);
    expect(s).toMatchObject({
      'privileged/agent': 'fail',
      'host-network': 'fail',
      'host-pid': 'fail',
      'host-ipc': 'fail',
      'docker-socket/agent': 'fail',
      'sensitive-host-paths/agent': 'fail',
      'seccomp/agent': 'fail',
      'selinux/agent': 'fail',
      'run-as-non-root/agent': 'fail',
      'secrets-in-environment/agent': 'fail',
      'privileged-ports/agent': 'fail',
    });
    const privileged = report.workloads[0]!.checks.find((c) => c.id === 'privileged')!;
    expect(privileged.remediation).toBe(
      'Set securityContext.privileged: false (or leave it out) on the container.',
    );
  });

  it('fails seccomp when no profile is set (Kubernetes runs Unconfined by default) and reads the legacy annotations', async () => {
    const pod = (annotations: string) => `apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations: {${annotations}}
spec:
  containers: [{ name: c, image: "a@sha256:${'a'.repeat(64)}" }]
`;
    expect(statuses(await postureOf(pod('')))['seccomp/c']).toBe('fail');
    expect(
      statuses(await postureOf(pod('"seccomp.security.alpha.kubernetes.io/pod": runtime/default')))[
        'seccomp/c'
      ],
    ).toBe('pass');
    expect(
      statuses(
        await postureOf(pod('"container.apparmor.security.beta.kubernetes.io/c": unconfined')),
      )['apparmor/c'],
    ).toBe('fail');
  });

  it('reads every document of a multi-document file and a List, skips kinds without containers, and reports unknown kinds as gaps', async () => {
    const report = await postureOf(fixture('kubernetes/mixed.yaml'));
    expect(report.documents.map((d) => [d.source, d.type, d.status])).toEqual([
      ['deploy.yaml#0', 'Service', 'skipped'],
      ['deploy.yaml#1', 'CronJob', 'read'],
      ['deploy.yaml#2', 'Rollout', 'unknown'],
      ['deploy.yaml#3', 'List', 'read'],
      ['deploy.yaml#3/items[0]', 'Pod', 'read'],
      ['deploy.yaml#3/items[1]', 'ConfigMap', 'skipped'],
    ]);
    expect(report.workloads.map((w) => w.id)).toEqual([
      'kubernetes:shop/CronJob/nightly-report',
      'kubernetes:shop/Pod/debug',
    ]);
    expect(report.coverage.gaps).toEqual([
      expect.objectContaining({
        kind: 'document-unread',
        subject: 'deploy.yaml#2',
        acceptedBy: null,
      }),
    ]);
    expect(report.decision).toBe('fail');
  });

  it('judges init containers too, and does not ask a Job for probes', async () => {
    const s = statuses(await postureOf(fixture('kubernetes/mixed.yaml')));
    expect(s['memory-limit/wait']).toBe('fail');
    expect(s['health-check/report']).toBe('not-applicable');
    expect(s['health-check/wait']).toBe('not-applicable');
  });

  it('treats a Windows Pod’s Linux settings as not applicable', async () => {
    const s = statuses(await postureOf(fixture('kubernetes/pod-windows.yaml')));
    expect(s['capabilities-not-dropped/iis']).toBe('not-applicable');
    expect(s['seccomp/iis']).toBe('not-applicable');
    expect(s['run-as-non-root/iis']).toBe('not-applicable');
  });

  it('refuses a manifest whose fields have the wrong type, as the API server would', async () => {
    const report = await postureOf(`apiVersion: v1
kind: Pod
metadata: { name: p }
spec:
  hostNetwork: "yes"
  containers: [{ name: c, image: a }]
`);
    expect(report.documents[0]).toMatchObject({
      status: 'invalid',
      reason: expect.stringContaining('spec.hostNetwork'),
    });
  });
});
