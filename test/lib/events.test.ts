import type { Template } from 'aws-cdk-lib/assertions';
import { configFromContext } from '../../lib/context';
import { environmentOf, roleStatements } from '../support/template';
import { contextNode, definitionOf, synthesize } from './synth';

type Json = Record<string, unknown>;

/** Every statement of every IAM policy in the template that names `action`. */
function statementsWith(template: Template, action: string): Json[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
    (
      policy as { Properties: { PolicyDocument: { Statement: Json[] } } }
    ).Properties.PolicyDocument.Statement.filter((s) =>
      ([] as unknown[]).concat(s.Action).includes(action),
    ),
  );
}

/** `arn:${Partition}:events:${Region}:${AccountId}:event-bus/default` as the grant writes it. */
const DEFAULT_BUS = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':events:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':event-bus/default',
    ],
  ],
};

const PUBLISHERS = ['notify', 'start-scan', 'deployment-watch', 'fleet-scan-item'];

describe('publishEvents', () => {
  describe('when on (the default)', () => {
    const { template } = synthesize();

    it('grants events:PutEvents on the default bus only, to the four publishers', () => {
      const statements = statementsWith(template, 'events:PutEvents');
      expect(statements).toHaveLength(PUBLISHERS.length);
      for (const statement of statements)
        expect(statement).toEqual({
          Action: 'events:PutEvents',
          Effect: 'Allow',
          Resource: DEFAULT_BUS,
        });
      for (const pascal of ['Notify', 'StartScan', 'DeploymentWatch', 'FleetScanItem'])
        expect(roleStatements(template, pascal)).toContainEqual(
          expect.objectContaining({ Action: 'events:PutEvents' }),
        );
    });

    it.each(PUBLISHERS)('tells %s the bus and the idempotency table', (name) => {
      expect(environmentOf(template, name)).toMatchObject({
        CLEARANCE_EVENT_BUS: 'default',
        CLEARANCE_IDEMPOTENCY_TABLE: expect.anything(),
      });
    });

    it.each(['StartScan', 'FleetScanItem'])(
      'lets %s claim events in the idempotency table',
      (pascal) => {
        const writes = roleStatements(template, pascal).filter((s) =>
          ([] as unknown[]).concat(s.Action).includes('dynamodb:PutItem'),
        );
        expect(JSON.stringify(writes)).toMatch(/Idempotency/);
      },
    );

    it('runs Notify for an unchanged verdict too, for its event', () => {
      const states = (definitionOf(template, 'ScanImageStateMachine') as { States: Json }).States;
      expect(states.ShouldNotify).toMatchObject({
        Choices: [{ Variable: '$.record.changed', BooleanEquals: true, Next: 'Notify' }],
        Default: 'Notify',
      });
    });
  });

  describe('when off', () => {
    const { template } = synthesize({ publishEvents: false });

    it('grants PutEvents to nobody', () => {
      expect(statementsWith(template, 'events:PutEvents')).toEqual([]);
    });

    it('gives fleet-scan-item no idempotency table writes', () => {
      const writes = roleStatements(template, 'FleetScanItem').filter((s) =>
        ([] as unknown[]).concat(s.Action).includes('dynamodb:PutItem'),
      );
      expect(JSON.stringify(writes)).not.toMatch(/Idempotency/);
    });

    it.each(PUBLISHERS)('gives %s no bus', (name) => {
      expect(environmentOf(template, name)).not.toHaveProperty('CLEARANCE_EVENT_BUS');
    });

    it('runs Notify for a changed verdict only', () => {
      const states = (definitionOf(template, 'ScanImageStateMachine') as { States: Json }).States;
      expect(states.ShouldNotify).toMatchObject({ Default: 'Done' });
    });
  });

  it('is read from the context', () => {
    expect(configFromContext(contextNode({ clearance: { publishEvents: false } }))).toEqual({
      publishEvents: false,
    });
    expect(() => configFromContext(contextNode({ clearance: { publishEvents: 'yes' } }))).toThrow(
      'publishEvents',
    );
  });
});
