import type { Template } from 'aws-cdk-lib/assertions';
import { synthesize } from './synth';

type Json = Record<string, unknown>;
type GetAtt = { 'Fn::GetAtt': [string, string] };

describe('Triggers', () => {
  const { template } = synthesize();

  describe('the EventBridge Scheduler schedules', () => {
    const schedules = Object.entries(template.findResources('AWS::Scheduler::Schedule'));

    it('are the fleet scan, the data sync and the audit anchor', () => {
      expect(schedules.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
        'AuditAnchorsSchedule',
        'TriggersFleetScanSchedule',
        'TriggersSyncSchedule',
      ]);
    });

    // Scheduler sends a failed start to the dead-letter queue with the schedule's role; the
    // queue is encrypted with the stack's key, so the role must use the key or the message is
    // lost (DESIGN.md, "Facts that bite").
    describe.each(schedules.map(([id, s]) => [id, s] as const))('%s', (_id, schedule) => {
      const target = (schedule as { Properties: { Target: Json } }).Properties.Target as {
        RoleArn: GetAtt;
        DeadLetterConfig: { Arn: GetAtt };
      };
      const role = target.RoleArn['Fn::GetAtt'][0];
      const queue = target.DeadLetterConfig.Arn['Fn::GetAtt'][0];

      it("may send to the dead-letter queue and use its key, and no more of the key's actions", () => {
        const key = keyOf(template, queue);
        const statements = statementsOf(template, role);
        expect(statements).toContainEqual(
          expect.objectContaining({ Action: 'sqs:SendMessage', Resource: getAtt(queue) }),
        );
        const keyStatements = statements.filter((s) => sameJson(s.Resource, getAtt(key)));
        expect(keyStatements.flatMap((s) => actionsOf(s)).sort()).toEqual([
          'kms:Decrypt',
          'kms:GenerateDataKey',
        ]);
      });
    });
  });
});

const getAtt = (id: string): GetAtt => ({ 'Fn::GetAtt': [id, 'Arn'] });

/** The logical id of the KMS key that encrypts the queue `queue`. */
function keyOf(template: Template, queue: string): string {
  const queues = template.findResources('AWS::SQS::Queue');
  const properties = (queues[queue] as { Properties: { KmsMasterKeyId: GetAtt } }).Properties;
  return properties.KmsMasterKeyId['Fn::GetAtt'][0];
}

/** The statements of every policy attached to the role `role`. */
function statementsOf(template: Template, role: string): Json[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .map(
      (p) =>
        (p as { Properties: { Roles: Json[]; PolicyDocument: { Statement: Json[] } } }).Properties,
    )
    .filter((p) => p.Roles.some((r) => r.Ref === role))
    .flatMap((p) => p.PolicyDocument.Statement);
}

function actionsOf(statement: Json): string[] {
  const action = statement.Action as string | string[];
  return typeof action === 'string' ? [action] : action;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
