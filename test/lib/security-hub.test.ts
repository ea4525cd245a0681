import { definitionOf, FULL_CONFIG, handlers, synthesize } from './synth';

type Json = Record<string, unknown>;
type Statement = { Action: string | string[]; Resource: unknown };

const on = synthesize(FULL_CONFIG);
const off = synthesize();

/** The statements of the policies attached to the role of function `name`. */
function statementsOf(template: ReturnType<typeof synthesize>['template'], name: string) {
  const functions = template.findResources('AWS::Lambda::Function');
  const fn = Object.values(functions).find(
    (f) => (f as { Metadata?: Json }).Metadata?.['clearance:handler'] === name,
  ) as { Properties: { Role: { 'Fn::GetAtt': [string, string] } } };
  const role = fn.Properties.Role['Fn::GetAtt'][0];
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) =>
      ((p as { Properties: { Roles: { Ref: string }[] } }).Properties.Roles ?? []).some(
        (r) => r.Ref === role,
      ),
    )
    .flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties
          .PolicyDocument.Statement,
    );
}

const securityHubStatements = (template: ReturnType<typeof synthesize>['template'], name: string) =>
  statementsOf(template, name)
    .filter((s) => [s.Action].flat().some((a) => a.startsWith('securityhub:')))
    .map((s) => ({ Action: s.Action, Resource: JSON.stringify(s.Resource) }));

describe('securityHub', () => {
  describe('when it is on', () => {
    const states = (definitionOf(on.template, 'ScanImageStateMachine') as { States: Json })
      .States as Record<string, Json>;

    it('publishes the findings after Record, then signs the verdict', () => {
      expect(states.Record).toMatchObject({ Next: 'PublishFindings' });
      expect(states.PublishFindings).toMatchObject({
        ResultPath: '$.securityHub',
        Next: 'SignVerdict',
      });
    });

    it('never fails the scan on it: any error is caught into $.securityHub and the scan goes on', () => {
      expect(states.PublishFindings!.Catch).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.securityHub', Next: 'SignVerdict' },
      ]);
    });

    it('makes the publish-findings function', () => {
      expect([...handlers(on.template).values()]).toContain('publish-findings');
    });

    it.each(['publish-findings', 'fleet-scan-item'])(
      'lets %s import into the default product only, and read and resolve on the hub',
      (name) => {
        const statements = securityHubStatements(on.template, name);
        expect(statements).toHaveLength(2);
        expect(statements[0]!.Action).toBe('securityhub:BatchImportFindings');
        expect(statements[0]!.Resource).toMatch(
          /arn:.*:securityhub:.*product\/.*AWS::AccountId.*\/default/,
        );
        expect([statements[1]!.Action].flat().sort()).toEqual([
          'securityhub:BatchUpdateFindings',
          'securityhub:GetFindings',
        ]);
        expect(statements[1]!.Resource).toMatch(/:hub\/default/);
        expect(statements.map((s) => s.Resource)).not.toContain('"*"');
      },
    );

    it('alarms when Security Hub did not take some findings, since the scan never fails on it', () => {
      const alarms = Object.values(on.template.findResources('AWS::CloudWatch::Alarm')) as {
        Properties: { MetricName?: string; Dimensions?: unknown };
      }[];
      expect(alarms.map((a) => a.Properties)).toContainEqual(
        expect.objectContaining({
          MetricName: 'SecurityHubFindingsFailed',
          Dimensions: [{ Name: 'service', Value: 'publish-findings' }],
        }),
      );
      const none = Object.values(off.template.findResources('AWS::CloudWatch::Alarm')) as {
        Properties: { MetricName?: string };
      }[];
      expect(none.some((a) => a.Properties.MetricName === 'SecurityHubFindingsFailed')).toBe(false);
    });

    it('archives the findings of a deleted image: ECR DELETE events → publish-findings, retried, then the dead-letter queue', () => {
      const rules = Object.values(on.template.findResources('AWS::Events::Rule')) as {
        Properties: { EventPattern: Json; Targets: Json[] };
      }[];
      const deletes = rules.filter(
        (r) =>
          JSON.stringify((r.Properties.EventPattern.detail as Json)?.['action-type']) ===
          '["DELETE"]',
      );
      expect(deletes).toHaveLength(1);
      expect(deletes[0]!.Properties.EventPattern).toMatchObject({
        source: ['aws.ecr'],
        'detail-type': ['ECR Image Action'],
        detail: { 'action-type': ['DELETE'], result: ['SUCCESS'] },
      });
      const target = deletes[0]!.Properties.Targets[0]!;
      expect(target).toMatchObject({
        RetryPolicy: { MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 8 },
        DeadLetterConfig: { Arn: expect.anything() },
      });
      const fn = Object.entries(on.template.findResources('AWS::Lambda::Function')).find(
        ([, f]) =>
          (f as { Metadata?: Json }).Metadata?.['clearance:handler'] === 'publish-findings',
      )!;
      expect(JSON.stringify(target.Arn)).toContain(fn[0]);
      expect((fn[1] as { Properties: Json }).Properties.DeadLetterConfig).toBeDefined();
    });

    it('lets publish-findings read the images table (a deleted image verdict names its platforms), never write it', () => {
      const actions = statementsOf(on.template, 'publish-findings')
        .filter((s) => JSON.stringify(s.Resource).includes('Images'))
        .flatMap((s) => [s.Action].flat());
      expect(actions).toContain('dynamodb:GetItem');
      expect(actions.filter((a) => /Put|Update|Delete|Write/.test(a))).toEqual([]);
    });

    it('lets publish-findings ask whether a DELETE event’s image is still there (a tag removed), and nothing more of ECR', () => {
      const ecr = statementsOf(on.template, 'publish-findings').filter((s) =>
        [s.Action].flat().some((a) => a.startsWith('ecr:')),
      );
      expect(ecr.map((s) => s.Action)).toEqual(['ecr:BatchGetImage']);
    });

    it('gives no other function any Security Hub permission', () => {
      for (const name of handlers(on.template).values())
        if (name !== 'publish-findings' && name !== 'fleet-scan-item')
          expect(securityHubStatements(on.template, name)).toEqual([]);
    });
  });

  describe('when it is off (the default)', () => {
    it('has no PublishFindings state, no function and no Security Hub permission', () => {
      const states = (definitionOf(off.template, 'ScanImageStateMachine') as { States: Json })
        .States as Record<string, Json>;
      expect(states).not.toHaveProperty('PublishFindings');
      expect(states.Record).toMatchObject({ Next: 'SignVerdict' });
      expect([...handlers(off.template).values()]).not.toContain('publish-findings');
      expect(securityHubStatements(off.template, 'fleet-scan-item')).toEqual([]);
    });

    it('has no rule on ECR DELETE events', () => {
      const rules = Object.values(off.template.findResources('AWS::Events::Rule'));
      expect(JSON.stringify(rules)).not.toContain('"DELETE"');
    });
  });
});
