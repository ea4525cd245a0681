import { fixture, postureOf, statuses } from './support';

describe('posture of Compose files', () => {
  it('passes a hardened service (long syntax limits, security_opt, secrets)', async () => {
    const report = await postureOf(fixture('compose/compose-hardened.yaml'));
    expect(report.workloads[0]).toMatchObject({ id: 'compose:shop/api', platform: 'docker' });
    expect(report.workloads[0]!.verdict.decision).toBe('pass');
    expect(statuses(report)).toMatchObject({
      'pids-limit/api': 'pass',
      'no-new-privileges/api': 'pass',
      'seccomp/api': 'pass',
    });
  });

  it('fails each unsafe setting of a service, short syntax included', async () => {
    const report = await postureOf(fixture('compose/compose-insecure.yaml'));
    expect(statuses(report)).toMatchObject({
      'privileged/web': 'fail',
      'host-network': 'fail',
      'host-pid': 'fail',
      'host-ipc': 'fail',
      'host-uts': 'fail',
      'docker-socket/web': 'fail',
      'sensitive-host-paths/web': 'fail',
      'host-devices/web': 'fail',
      'capabilities-added/web': 'fail',
      'secrets-in-environment/web': 'fail',
      'central-logging/web': 'fail',
      'health-check/web': 'fail',
    });
    const uts = report.workloads[0]!.checks.find((c) => c.id === 'host-uts')!;
    expect(uts).toMatchObject({
      cis: '5.21',
      evidence: [{ path: 'services.web.uts', value: 'host' }],
    });
  });

  it('reads a seccomp profile switched off with either separator', async () => {
    const service = (opt: string) =>
      `services:\n  s:\n    image: a\n    security_opt: ["${opt}"]\n`;
    expect(statuses(await postureOf(service('seccomp=unconfined')))['seccomp/s']).toBe('fail');
    expect(statuses(await postureOf(service('seccomp:unconfined')))['seccomp/s']).toBe('fail');
    expect(statuses(await postureOf(service('seccomp:/etc/profile.json')))['seccomp/s']).toBe(
      'pass',
    );
  });

  it('does not ask a service built from source for an image to pin or a verdict', async () => {
    const report = await postureOf('services:\n  app:\n    build: ./app\n', {
      verdicts: { name: 'v', lookup: () => Promise.resolve({ verdict: 'unknown', source: 'v' }) },
    });
    const s = statuses(report);
    expect([
      s['image-pinned/app'],
      s['image-trusted-registry/app'],
      s['image-verdict/app'],
    ]).toEqual(['not-applicable', 'not-applicable', 'not-applicable']);
    expect(report.workloads[0]!.checks.find((c) => c.id === 'image-pinned')!.evidence).toEqual([
      { path: 'services.app.build', value: './app' },
    ]);
  });
});
