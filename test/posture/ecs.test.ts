import { fixture, postureOf, statuses } from './support';

describe('posture of ECS task definitions', () => {
  it('reads describe-task-definition output (the taskDefinition wrapper) and passes a hardened Fargate task', async () => {
    const report = await postureOf(fixture('ecs/describe-fargate-hardened.json'));
    const [workload] = report.workloads;
    expect(workload).toMatchObject({
      id: 'ecs:payments-api:7',
      platform: 'fargate',
      labels: { team: 'payments' },
    });
    expect(workload!.verdict.decision).toBe('pass');
    const s = statuses(report);
    expect(s).toMatchObject({
      'capabilities-not-dropped/api': 'pass',
      'read-only-root-filesystem/api': 'pass',
      'memory-limit/api': 'pass',
      'pids-limit/api': 'pass',
      'run-as-non-root/api': 'pass',
      'secrets-in-environment/api': 'pass',
      'image-pinned/api': 'pass',
      'central-logging/api': 'pass',
      'health-check/api': 'pass',
    });
  });

  it('marks what Fargate forbids as not applicable, with the reason', async () => {
    const report = await postureOf(fixture('ecs/describe-fargate-hardened.json'));
    const checks = report.workloads[0]!.checks;
    for (const id of [
      'privileged',
      'host-network',
      'host-pid',
      'host-ipc',
      'no-new-privileges',
      'sensitive-host-paths',
      'docker-socket',
      'host-devices',
      'seccomp',
      'apparmor',
      'selinux',
    ]) {
      const check = checks.find((c) => c.id === id)!;
      expect({ id, status: check.status }).toEqual({ id, status: 'not-applicable' });
      expect(check.reason).toMatch(/Fargate/);
    }
  });

  it('fails every unsafe setting of a register-task-definition input on EC2, with CIS v1.6.0 numbers and field paths', async () => {
    const report = await postureOf(fixture('ecs/register-ec2-insecure.json'));
    const workload = report.workloads[0]!;
    expect(workload).toMatchObject({ id: 'ecs:legacy-agent', platform: 'ec2' });
    const failed = (id: string, container: string | null = 'agent') =>
      workload.checks.find((c) => c.id === id && c.container === container)!;
    expect(failed('privileged')).toMatchObject({
      status: 'fail',
      cis: '5.5',
      severity: 'CRITICAL',
      evidence: [{ path: 'containerDefinitions[0].privileged', value: true }],
    });
    expect(failed('host-network', null)).toMatchObject({
      status: 'fail',
      cis: '5.10',
      evidence: [{ path: 'networkMode', value: 'host' }],
    });
    expect(failed('host-pid', null)).toMatchObject({ status: 'fail', cis: '5.16' });
    expect(failed('host-ipc', null)).toMatchObject({ status: 'fail', cis: '5.17' });
    expect(failed('docker-socket')).toMatchObject({ status: 'fail', cis: '5.32' });
    expect(failed('sensitive-host-paths')).toMatchObject({ status: 'fail', cis: '5.6' });
    expect(failed('capabilities-added')).toMatchObject({
      status: 'fail',
      cis: '5.4',
      reason: 'adds SYS_ADMIN, NET_ADMIN',
    });
    expect(failed('host-devices')).toMatchObject({ status: 'fail', cis: '5.18' });
    expect(failed('selinux')).toMatchObject({
      status: 'fail',
      cis: '5.3',
      evidence: [{ value: 'label:disable' }],
    });
    expect(failed('run-as-non-root')).toMatchObject({
      status: 'fail',
      evidence: [{ path: 'containerDefinitions[0].user', value: 'root' }],
    });
    expect(failed('privileged-ports')).toMatchObject({ status: 'fail', cis: '5.8' });
    expect(failed('memory-limit').status).toBe('fail');
    expect(failed('memory-limit', 'sidecar').status).toBe('pass');
    expect(failed('central-logging', 'sidecar')).toMatchObject({
      status: 'fail',
      reason: expect.stringMatching(/json-file/),
    });
    expect(failed('privileged').remediation).toMatch(/"privileged"/);
    expect(workload.verdict.decision).toBe('fail');
  });

  it('redacts the secrets it finds in plain environment variables, and passes those from Secrets Manager or SSM', async () => {
    const report = await postureOf(fixture('ecs/register-ec2-insecure.json'));
    const check = report.workloads[0]!.checks.find(
      (c) => c.id === 'secrets-in-environment' && c.container === 'agent',
    )!;
    expect(check.status).toBe('fail');
    const shown = JSON.stringify(check.evidence);
    expect(shown).not.toContain('wJalrXUtnFEMI/K7MDENG');
    expect(shown).not.toContain('hunter2-correct-horse');
    expect(check.evidence.map((e) => e.path)).toEqual([
      'containerDefinitions[0].environment[0]',
      'containerDefinitions[0].environment[1]',
    ]);
    const fargate = await postureOf(fixture('ecs/describe-fargate-hardened.json'));
    const referenced = fargate.workloads[0]!.checks.find((c) => c.id === 'secrets-in-environment')!;
    expect(referenced.status).toBe('pass');
    expect(referenced.evidence.map((e) => e.value)).toEqual([
      expect.stringMatching(/^DB_PASSWORD from arn:aws:secretsmanager:/),
      expect.stringMatching(/^API_TOKEN from arn:aws:ssm:/),
    ]);
  });

  it('judges Windows containers only on what Windows has', async () => {
    const report = await postureOf(fixture('ecs/windows-fargate.json'));
    const s = statuses(report);
    for (const id of [
      'capabilities-not-dropped',
      'read-only-root-filesystem',
      'run-as-non-root',
      'pids-limit',
    ])
      expect(s[`${id}/web`]).toBe('not-applicable');
    expect(s['memory-limit/web']).toBe('pass');
  });

  it('takes the task-level memory and CPU as the limits of every container', async () => {
    const report = await postureOf(
      fixture('ecs/describe-fargate-hardened.json').replace('"memory": 512,', ''),
    );
    const check = report.workloads[0]!.checks.find((c) => c.id === 'memory-limit')!;
    expect(check).toMatchObject({
      status: 'pass',
      evidence: [
        { path: 'taskDefinition.containerDefinitions[0].memory', value: null },
        { path: 'taskDefinition.memory', value: '1024' },
      ],
    });
  });

  it('refuses a task definition whose fields have the wrong type, naming the field', async () => {
    const report = await postureOf(
      JSON.stringify({
        family: 'x',
        containerDefinitions: [{ name: 'a', image: 'a:1', privileged: 'true' }],
      }),
    );
    expect(report.workloads).toEqual([]);
    expect(report.documents[0]).toMatchObject({
      kind: 'ecs-task-definition',
      status: 'invalid',
      reason: expect.stringMatching(
        /containerDefinitions\.\[?0\]?\.?privileged|containerDefinitions\[0\]\.privileged/,
      ),
    });
    expect(report.coverage.gaps[0]).toMatchObject({ kind: 'document-unread', acceptedBy: null });
    expect(report.decision).toBe('fail');
  });

  it('names the files of variables it cannot read (environmentFiles in S3) rather than pass silently on them', async () => {
    const report = await postureOf(
      JSON.stringify({
        family: 'x',
        containerDefinitions: [
          {
            name: 'app',
            image: 'a:1',
            environmentFiles: [{ value: 'arn:aws:s3:::config-bucket/app.env', type: 's3' }],
          },
        ],
      }),
    );
    const check = report.workloads[0]!.checks.find((c) => c.id === 'secrets-in-environment')!;
    expect(check).toMatchObject({
      status: 'pass',
      evidence: [
        {
          path: 'containerDefinitions[0].environmentFiles[0]',
          value: 'arn:aws:s3:::config-bucket/app.env',
        },
      ],
      reason: expect.stringContaining('read by the runtime, not by this check'),
    });
  });
});
