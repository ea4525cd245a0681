import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { Match } from 'aws-cdk-lib/assertions';
import { configFromContext } from '../../lib/context';
import { contextNode, synthesize } from './synth';
import { environmentOf, logicalIdOf, roleStatements } from '../support/template';

const defaults = synthesize();
const weekly = synthesize({
  signingKeyRotationDays: 7,
  secretHygiene: { namePrefix: 'prod/', maxAgeDays: 30 },
});

describe('VerdictSigning', () => {
  describe('the signing-key secret', () => {
    const template = defaults.template;

    it('is one secret, encrypted with the stack key, tagged with its rotator, kept when the stack goes', () => {
      template.resourceCountIs('AWS::SecretsManager::Secret', 1);
      template.hasResource('AWS::SecretsManager::Secret', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^StorageKey'), 'Arn'] },
          Tags: Match.arrayWith([{ Key: 'clearance:rotator', Value: 'verdict-signing-key' }]),
        }),
      });
    });

    it('starts from a generated placeholder, not a key (Secrets Manager cannot make a key pair)', () => {
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: Match.objectLike({ GenerateStringKey: 'placeholder' }),
      });
    });
  });

  describe('the rotation schedule', () => {
    it('rotates every 30 days by default, with the rotate-secret function, and right away', () => {
      defaults.template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
        SecretId: { Ref: Match.stringLikeRegexp('^VerdictSigningSecret') },
        RotationLambdaARN: {
          'Fn::GetAtt': [logicalIdOf(defaults.template, 'rotate-secret'), 'Arn'],
        },
        RotationRules: { ScheduleExpression: 'rate(30 days)' },
        RotateImmediatelyOnUpdate: true,
      });
    });

    it('rotates every signingKeyRotationDays when configured', () => {
      weekly.template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
        RotationRules: { ScheduleExpression: 'rate(7 days)' },
      });
    });

    it('satisfies cdk-nag’s rotation rule (AwsSolutions-SMG4) rather than acknowledging it', () => {
      const violations = new AwsSolutionsChecks()
        .validateScope(defaults.stack)
        .violations.filter((v) => v.ruleName.includes('SMG4'));
      expect(violations).toEqual([]);
      expect(acknowledged(defaults.stack).filter((id) => id.includes('SMG4'))).toEqual([]);
    });

    it('lets Secrets Manager invoke the function, for this account and this secret only, once', () => {
      const permissions = Object.values(
        defaults.template.findResources('AWS::Lambda::Permission', {
          Properties: { Principal: 'secretsmanager.amazonaws.com' },
        }),
      ).map((p) => (p as { Properties: Record<string, unknown> }).Properties);
      // Secrets Manager invokes with the secret as the source: without these, any account's
      // secret could have Secrets Manager call this function (the confused deputy).
      expect(permissions).toEqual([
        {
          Action: 'lambda:InvokeFunction',
          Principal: 'secretsmanager.amazonaws.com',
          FunctionName: {
            'Fn::GetAtt': [logicalIdOf(defaults.template, 'rotate-secret'), 'Arn'],
          },
          SourceAccount: { Ref: 'AWS::AccountId' },
          SourceArn: { Ref: expect.stringMatching(/^VerdictSigningSecret/) },
        },
      ]);
    });
  });

  describe('the rotation function', () => {
    const statements = () => roleStatements(defaults.template, 'RotateSecret');

    it('may stage versions of the signing-key secret', () => {
      expect(statements()).toContainEqual(
        expect.objectContaining({
          Action: [
            'secretsmanager:DescribeSecret',
            'secretsmanager:GetSecretValue',
            'secretsmanager:PutSecretValue',
            'secretsmanager:UpdateSecretVersionStage',
          ],
          Resource: { Ref: expect.stringMatching(/^VerdictSigningSecret/) },
        }),
      );
    });

    it('may read and write the published keys under verdict-keys/ only', () => {
      const objectStatements = statements().filter((s) =>
        [s.Action].flat().some((a) => a === 's3:GetObject' || a === 's3:PutObject'),
      );
      expect(objectStatements.flatMap((s) => [s.Action].flat()).sort()).toEqual([
        's3:GetObject',
        's3:PutObject',
      ]);
      for (const s of objectStatements)
        expect(JSON.stringify(s.Resource)).toMatch(/"\/verdict-keys\/\*"\]\]\}$/);
    });

    it('writes to the audit trail (secret.rotated) and knows the bucket', () => {
      const env = environmentOf(defaults.template, 'rotate-secret');
      expect(Object.keys(env)).toEqual(
        expect.arrayContaining(['CLEARANCE_BUCKET', 'CLEARANCE_AUDIT_TABLE']),
      );
    });
  });

  describe('secret hygiene in the fleet run', () => {
    it('gives fleet-summarize its settings: every secret, 90 days by default', () => {
      expect(
        JSON.parse(
          environmentOf(defaults.template, 'fleet-summarize').CLEARANCE_SECRET_HYGIENE as string,
        ),
      ).toEqual({ filter: {}, maxAgeDays: 90 });
    });

    it('passes the configured filter and age on', () => {
      expect(
        JSON.parse(
          environmentOf(weekly.template, 'fleet-summarize').CLEARANCE_SECRET_HYGIENE as string,
        ),
      ).toEqual({ filter: { namePrefix: 'prod/' }, maxAgeDays: 30 });
    });

    it('lets fleet-summarize list secrets, and read none', () => {
      const statements = roleStatements(defaults.template, 'FleetSummarize');
      expect(statements).toContainEqual(
        expect.objectContaining({
          Action: expect.arrayContaining(['secretsmanager:ListSecrets']),
          Resource: '*',
        }),
      );
      expect(JSON.stringify(statements)).not.toContain('GetSecretValue');
    });
  });

  describe('configuration from the context', () => {
    const fromContext = (clearance: unknown) => configFromContext(contextNode({ clearance }));

    it('reads signingKeyRotationDays and secretHygiene', () => {
      expect(
        fromContext({ signingKeyRotationDays: 14, secretHygiene: { tagKey: 'team' } }),
      ).toEqual({
        signingKeyRotationDays: 14,
        secretHygiene: { tagKey: 'team' },
      });
    });

    it.each([0, 1001, 2.5])('fails when signingKeyRotationDays is %s', (days) => {
      expect(() => fromContext({ signingKeyRotationDays: days })).toThrow('signingKeyRotationDays');
    });

    it('fails when secretHygiene has an unknown field', () => {
      expect(() => fromContext({ secretHygiene: { prefix: 'x' } })).toThrow('secretHygiene');
    });
  });
});

/** The rule ids acknowledged anywhere in the tree. */
function acknowledged(scope: IConstruct): string[] {
  const own = scope.node.metadata
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) => Object.keys(entry.data as Record<string, unknown>));
  return [...own, ...scope.node.children.flatMap(acknowledged)];
}
