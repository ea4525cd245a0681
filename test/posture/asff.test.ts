import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { postureAsffFindings } from '../../shared/posture';
import { asffProblems, type AsffFinding, type AsffPostureResource } from '../../shared/securityhub';
import { fixture, postureOf } from './support';

type Writable<T> = T extends readonly (infer U)[]
  ? Writable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Writable<T[K]> }
    : T;

/** Compiles only while every field of ours is a field of the SDK's AwsSecurityFinding. */
function asSdk(finding: Writable<AsffFinding<AsffPostureResource>>): AwsSecurityFinding {
  return finding;
}

const TARGET = {
  accountId: '111122223333',
  region: 'eu-west-1',
  observedAt: '2026-12-07T12:00:00.000Z',
};

describe('postureAsffFindings', () => {
  it('sends one finding per failed or erring check, within every limit and of the SDK shape', async () => {
    const report = await postureOf(fixture('ecs/register-ec2-insecure.json'));
    const findings = postureAsffFindings(report, TARGET);
    const failing = report.workloads[0]!.checks.filter(
      (c) => c.status === 'fail' || c.status === 'error',
    );
    expect(findings).toHaveLength(failing.length);
    for (const f of findings) {
      expect(asffProblems(f)).toEqual([]);
      asSdk(f as Writable<AsffFinding<AsffPostureResource>>);
    }
    expect(new Set(findings.map((f) => f.Id)).size).toBe(findings.length);
  });

  it('names the task definition, the CIS item as the compliance requirement, and the remediation', async () => {
    const findings = postureAsffFindings(
      await postureOf(fixture('ecs/register-ec2-insecure.json')),
      TARGET,
    );
    const privileged = findings.find((f) => f.GeneratorId === 'clearance/posture/privileged')!;
    expect(privileged).toMatchObject({
      ProductArn: 'arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default',
      Severity: { Label: 'CRITICAL' },
      Types: [
        'Software and Configuration Checks/Industry and Regulatory Standards/CIS Docker Benchmark v1.6.0',
      ],
      Compliance: { Status: 'FAILED', RelatedRequirements: ['CIS Docker Benchmark v1.6.0/5.5'] },
      Resources: [
        {
          Type: 'AwsEcsTaskDefinition',
          Id: 'ecs:legacy-agent',
          Details: { AwsEcsTaskDefinition: { Family: 'legacy-agent' } },
        },
      ],
      Remediation: { Recommendation: { Text: expect.stringContaining('"privileged"') } },
    });
  });

  it('keeps ids stable from one run to the next, and puts Kubernetes containers and ECR repositories as their own resources', async () => {
    const text = fixture('kubernetes/daemonset-insecure.yaml');
    const first = postureAsffFindings(await postureOf(text), TARGET).map((f) => f.Id);
    const again = postureAsffFindings(await postureOf(text), {
      ...TARGET,
      observedAt: '2026-12-08T12:00:00.000Z',
    }).map((f) => f.Id);
    expect(again).toEqual(first);
    const k8s = postureAsffFindings(await postureOf(text), TARGET);
    expect(
      k8s.find((f) => f.GeneratorId === 'clearance/posture/docker-socket')!.Resources[0],
    ).toMatchObject({
      Type: 'Container',
      Id: 'kubernetes:kube-system/DaemonSet/node-agent/agent',
      Details: { Container: { Name: 'agent', ImageName: 'quay.io/example/node-agent:v2' } },
    });
    const registry = postureAsffFindings(
      await postureOf(fixture('registry/describe-repositories.json')),
      TARGET,
    );
    expect(registry.length).toBeGreaterThan(0);
    expect(registry.every((f) => f.Resources[0]!.Type === 'AwsEcrRepository')).toBe(true);
  });
});
