import { fixture, postureOf, statuses } from './support';

describe('posture of CloudFormation templates (cdk synth output)', () => {
  it('reads each AWS::ECS::TaskDefinition as the ECS API’s task definition', async () => {
    const report = await postureOf(fixture('cloudformation/cdk-shop.template.json'));
    expect(report.documents[0]).toMatchObject({ kind: 'cloudformation', status: 'read' });
    expect(report.workloads.map((w) => [w.id, w.platform])).toEqual([
      ['ecs:shop-web', 'fargate'],
      ['ecs:shop-worker', 'ec2'],
    ]);
    const s = statuses(report);
    expect(s).toMatchObject({
      'read-only-root-filesystem/web': 'pass',
      'run-as-non-root/web': 'pass',
      'central-logging/web': 'pass',
      'privileged/worker': 'fail',
      'host-network': 'fail',
      'docker-socket/worker': 'fail',
      'secrets-in-environment/worker': 'fail',
    });
    const privileged = report.workloads[1]!.checks.find((c) => c.id === 'privileged')!;
    expect(privileged.evidence).toEqual([
      { path: 'containerDefinitions[0].privileged', value: true },
    ]);
  });

  it('reports an image given by an intrinsic function as unresolved, an error and never a pass', async () => {
    const report = await postureOf(fixture('cloudformation/cdk-shop.template.json'));
    const pinned = report.workloads[1]!.checks.find((c) => c.id === 'image-pinned')!;
    expect(pinned).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('<unresolved Fn::Join>'),
    });
  });

  it('skips a template that defines no task, and refuses one whose fields are unresolved where a value is needed', async () => {
    const none = await postureOf(
      JSON.stringify({ Resources: { Bucket: { Type: 'AWS::S3::Bucket' } } }),
    );
    expect(none.documents[0]).toMatchObject({
      status: 'skipped',
      reason: 'a template with no AWS::ECS::TaskDefinition',
    });
    expect(none.coverage.gaps).toEqual([]);
    const unresolved = await postureOf(
      JSON.stringify({
        Resources: {
          Task: {
            Type: 'AWS::ECS::TaskDefinition',
            Properties: {
              ContainerDefinitions: [
                { Name: 'a', Image: 'a:1', Privileged: { Ref: 'Privileged' } },
              ],
            },
          },
        },
      }),
    );
    expect(unresolved.documents[0]).toMatchObject({
      status: 'invalid',
      reason: expect.stringMatching(/^Resources\.Task: .*privileged/),
    });
    expect(unresolved.coverage.gaps).toHaveLength(1);
  });
});
