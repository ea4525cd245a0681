import { Match, type Template } from 'aws-cdk-lib/assertions';
import { configFromContext } from '../../lib/context';
import { environmentOf, logicalIdOf, roleStatements } from '../support/template';
import { contextNode, synthesize } from './synth';

type Json = Record<string, unknown>;

const EXCEPTION = {
  id: 'legacy-batch',
  clusters: ['batch-*'],
  owner: 'batch@example.com',
  reason: 'replaced in Q1',
  expires: '2027-03-31',
};

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

/** `arn:${Partition}:ecs:${Region}:${AccountId}:<resource>` as CDK's formatArn writes it. */
const ecsArn = (resource: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':ecs:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:${resource}`,
    ],
  ],
});

describe('DeploymentWatch', () => {
  const defaults = synthesize();

  describe('the EventBridge rule', () => {
    it('matches ECS task state changes to RUNNING, of every cluster', () => {
      defaults.template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.ecs'],
          'detail-type': ['ECS Task State Change'],
          detail: { lastStatus: ['RUNNING'] },
        },
        State: 'ENABLED',
      });
    });

    it('invokes deployment-watch, retrying for two hours, then to the dead-letter queue', () => {
      defaults.template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: Match.objectLike({ source: ['aws.ecs'] }),
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [logicalIdOf(defaults.template, 'deployment-watch'), 'Arn'] },
            DeadLetterConfig: {
              Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeadLetters'), 'Arn'] },
            },
            RetryPolicy: { MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 8 },
          }),
        ],
      });
    });
  });

  describe('when runtimeEnforcement is alert (the default)', () => {
    it('grants no StopTask to any role, and deployment-watch no ECS action at all', () => {
      expect(statementsWith(defaults.template, 'ecs:StopTask')).toEqual([]);
      const actions = roleStatements(defaults.template, 'DeploymentWatch').flatMap((s) =>
        ([] as unknown[]).concat(s.Action),
      );
      expect(actions.filter((a) => String(a).startsWith('ecs:'))).toEqual([]);
    });

    it('gives the function the images table to read, the audit trail to append to and the alerts topic', () => {
      const statements = roleStatements(defaults.template, 'DeploymentWatch');
      const on = (prefix: string) =>
        statements
          .filter((s) => JSON.stringify(s.Resource).includes(prefix))
          .flatMap((s) => ([] as unknown[]).concat(s.Action));
      expect(on('StorageAudit')).toEqual([
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
      ]);
      expect(on('StorageImages')).not.toContain('dynamodb:PutItem');
      expect(on('NotificationsAlerts')).toEqual(['sns:Publish']);
      expect(on('NotificationsOperations')).toEqual([]);
    });

    it('sets the gate to alert, every cluster, no exception', () => {
      expect(environmentOf(defaults.template, 'deployment-watch')).toMatchObject({
        CLEARANCE_RUNTIME_ENFORCEMENT: 'alert',
        CLEARANCE_RUNTIME_CLUSTERS: '*',
        CLEARANCE_RUNTIME_EXCEPTIONS: '[]',
      });
    });
  });

  describe('when runtimeEnforcement is stop on every cluster', () => {
    const { template } = synthesize({ runtimeEnforcement: 'stop' });

    it('grants ecs:StopTask on the tasks of the account and region only, to deployment-watch only', () => {
      expect(statementsWith(template, 'ecs:StopTask')).toEqual([
        { Action: 'ecs:StopTask', Effect: 'Allow', Resource: ecsArn('task/*') },
      ]);
      expect(roleStatements(template, 'DeploymentWatch')).toContainEqual(
        expect.objectContaining({ Action: 'ecs:StopTask' }),
      );
    });
  });

  describe('when runtimeEnforcement is stop on some clusters, with exceptions', () => {
    const { template } = synthesize({
      runtimeEnforcement: 'stop',
      runtimeClusters: ['prod-*', 'payments'],
      runtimeExceptions: [EXCEPTION],
    });

    it('conditions ecs:StopTask on those clusters (ecs:cluster)', () => {
      expect(statementsWith(template, 'ecs:StopTask')).toEqual([
        {
          Action: 'ecs:StopTask',
          Effect: 'Allow',
          Resource: ecsArn('task/*'),
          Condition: {
            ArnLike: { 'ecs:cluster': [ecsArn('cluster/prod-*'), ecsArn('cluster/payments')] },
          },
        },
      ]);
    });

    it('hands the function the gate as the contract reads it', () => {
      expect(environmentOf(template, 'deployment-watch')).toMatchObject({
        CLEARANCE_RUNTIME_ENFORCEMENT: 'stop',
        CLEARANCE_RUNTIME_CLUSTERS: 'prod-*,payments',
        CLEARANCE_RUNTIME_EXCEPTIONS: JSON.stringify([EXCEPTION]),
      });
    });
  });
});

describe('the runtime gate in the clearance context', () => {
  const read = (config: unknown) => () => configFromContext(contextNode({ clearance: config }));

  it('reads runtimeEnforcement, runtimeClusters and runtimeExceptions', () => {
    const config = {
      runtimeEnforcement: 'stop',
      runtimeClusters: ['prod-*'],
      runtimeExceptions: [EXCEPTION],
    };
    expect(read(config)()).toEqual(config);
  });

  it.each([
    [{ runtimeEnforcement: 'block' }, 'runtimeEnforcement'],
    [{ runtimeClusters: [] }, 'runtimeClusters'],
    [{ runtimeExceptions: [{ ...EXCEPTION, owner: undefined }] }, 'runtimeExceptions[0].owner'],
    [{ runtimeExceptions: [{ ...EXCEPTION, expires: 'soon' }] }, 'runtimeExceptions[0].expires'],
    [
      { runtimeExceptions: [{ ...EXCEPTION, clusters: undefined }] },
      'names no repositories and no clusters',
    ],
    [{ runtimeExceptions: [EXCEPTION, EXCEPTION] }, 'an exception id is used twice'],
    [{ runtimeExceptions: [{ ...EXCEPTION, team: 'x' }] }, 'team'],
  ])('fails the synth on %j, naming %s', (config, message) => {
    expect(read(config)).toThrow(message);
  });
});
