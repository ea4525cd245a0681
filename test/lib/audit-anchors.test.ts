import { Match, type Template } from 'aws-cdk-lib/assertions';
import { synthesize } from './synth';
import { roleStatements } from '../support/template';

type Json = Record<string, unknown>;

describe('AuditAnchors', () => {
  const defaults = synthesize();
  const governed = synthesize({
    auditAnchorLockMode: 'GOVERNANCE',
    auditAnchorRetentionDays: 30,
    auditAnchorSchedule: 'rate(15 minutes)',
  });

  describe('the anchors bucket', () => {
    it('locks every anchor in compliance mode for 400 days by default', () => {
      expect(anchorsBucket(defaults.template)).toMatchObject({
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } },
        },
      });
    });

    it('takes the mode and the retention from the configuration', () => {
      expect(anchorsBucket(governed.template).ObjectLockConfiguration).toMatchObject({
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } },
      });
    });

    it('is versioned, private, encrypted with the stack’s key and access-logged', () => {
      expect(anchorsBucket(defaults.template)).toMatchObject({
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            expect.objectContaining({
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [expect.stringMatching(/^StorageKey/), 'Arn'] },
              },
            }),
          ],
        },
        LoggingConfiguration: {
          DestinationBucketName: { Ref: expect.stringMatching(/^StorageAccessLogs/) },
          LogFilePrefix: 'audit-anchors/',
        },
      });
      defaults.template.hasResource('AWS::S3::Bucket', {
        Properties: Match.objectLike({ ObjectLockEnabled: true }),
        DeletionPolicy: 'Retain',
      });
    });

    it('refuses requests without TLS', () => {
      defaults.template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: Match.stringLikeRegexp('^AuditAnchorsBucket') },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    });
  });

  describe('the audit-anchor function', () => {
    it('runs on the configured schedule, hourly by default, with the dead-letter queue', () => {
      const target = (template: Template, expression: string) =>
        Object.values(template.findResources('AWS::Scheduler::Schedule'))
          .map((s) => (s as { Properties: Json }).Properties)
          .find((p) => p.ScheduleExpression === expression)?.Target;
      for (const [template, expression] of [
        [defaults.template, 'rate(1 hour)'],
        [governed.template, 'rate(15 minutes)'],
      ] as const)
        expect(target(template, expression)).toMatchObject({
          Arn: { 'Fn::GetAtt': [expect.stringMatching(/^FunctionsAuditAnchorFunction/), 'Arn'] },
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [expect.stringMatching(/^DeadLetters/), 'Arn'] },
          },
        });
    });

    it('may put anchors only (no delete, no retention change) and read the chain only', () => {
      const statements = roleStatements(defaults.template, 'AuditAnchor');
      const s3 = statements.filter((s) => JSON.stringify(s.Action).includes('s3:'));
      expect(s3).toEqual([
        expect.objectContaining({
          Action: 's3:PutObject',
          Resource: {
            'Fn::Join': [
              '',
              [
                { 'Fn::GetAtt': [expect.stringMatching(/^AuditAnchorsBucket/), 'Arn'] },
                '/audit-anchors/*',
              ],
            ],
          },
        }),
      ]);
      const dynamodb = statements
        .flatMap((s) => [s.Action].flat())
        .filter((a) => String(a).startsWith('dynamodb:'));
      expect(dynamodb.sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    });

    it('is told the table and the bucket', () => {
      const functions = Object.values(defaults.template.findResources('AWS::Lambda::Function'));
      const fn = functions.find(
        (f) => (f as { Metadata?: Json }).Metadata?.['clearance:handler'] === 'audit-anchor',
      ) as { Properties: { Environment: { Variables: Json } } };
      expect(
        Object.keys(fn.Properties.Environment.Variables)
          .filter((v) => v.startsWith('CLEARANCE_'))
          .sort(),
      ).toEqual(['CLEARANCE_ANCHORS_BUCKET', 'CLEARANCE_AUDIT_TABLE']);
    });
  });

  it('names the audit table and the anchors bucket in the outputs', () => {
    const outputs = defaults.template.findOutputs('*');
    expect(outputs.AuditTable).toBeDefined();
    expect(outputs.AuditAnchorsBucket).toBeDefined();
  });
});

function anchorsBucket(template: Template): Json {
  const buckets = template.findResources('AWS::S3::Bucket');
  const id = Object.keys(buckets).find((key) => key.startsWith('AuditAnchorsBucket'));
  if (id === undefined) throw new Error('no anchors bucket');
  return (buckets[id] as { Properties: Json }).Properties;
}
