import { Match } from 'aws-cdk-lib/assertions';
import { synthesize } from './synth';
import { environmentOf, roleStatements } from '../support/template';

const { template } = synthesize({ repositories: ['payments/*', 'base'] });

describe('the sign-verdict function', () => {
  const statements = () => roleStatements(template, 'SignVerdict');

  it('is told the signing-key secret, the bucket, the images table and the trigger window', () => {
    expect(environmentOf(template, 'sign-verdict')).toMatchObject({
      CLEARANCE_SIGNING_SECRET_ARN: { Ref: expect.stringMatching(/^VerdictSigningSecret/) },
      CLEARANCE_BUCKET: expect.anything(),
      CLEARANCE_IMAGES_TABLE: expect.anything(),
      CLEARANCE_TRIGGER_WINDOW_SECONDS: expect.any(String),
    });
  });

  it('may read the signing-key secret, and change no secret', () => {
    expect(statements()).toContainEqual(
      expect.objectContaining({
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        Resource: { Ref: expect.stringMatching(/^VerdictSigningSecret/) },
      }),
    );
    expect(JSON.stringify(statements())).not.toMatch(/PutSecretValue|UpdateSecretVersionStage/);
  });

  it('may push attestations into the watched repositories only', () => {
    const push = statements().find((s) => [s.Action].flat().includes('ecr:PutImage'));
    // Merged with the pull of the root manifest (same resources): reading and pushing, no more.
    expect(push?.Action).toEqual([
      'ecr:BatchCheckLayerAvailability',
      'ecr:BatchGetImage',
      'ecr:CompleteLayerUpload',
      'ecr:GetDownloadUrlForLayer',
      'ecr:InitiateLayerUpload',
      'ecr:PutImage',
      'ecr:UploadLayerPart',
    ]);
    const repositories = [push?.Resource].flat().map((arn) => JSON.stringify(arn));
    expect(repositories).toHaveLength(2);
    expect(repositories.join()).toContain(':repository/payments/*');
    expect(repositories.join()).toContain(':repository/base');
  });

  it('may read and write the published keys under verdict-keys/ only', () => {
    const objects = statements().filter((s) =>
      [s.Action].flat().some((a) => a === 's3:GetObject' || a === 's3:PutObject'),
    );
    expect(objects.flatMap((s) => [s.Action].flat()).sort()).toEqual([
      's3:GetObject',
      's3:PutObject',
    ]);
    for (const s of objects)
      expect(JSON.stringify(s.Resource)).toMatch(/"\/verdict-keys\/\*"\]\]\}$/);
  });

  it('is the SignVerdict task of ScanImage', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      DefinitionString: Match.objectLike({
        'Fn::Join': Match.arrayWith([
          Match.arrayWith([Match.stringLikeRegexp('"SignVerdict":\\{"Next":"Decide"')]),
        ]),
      }),
    });
  });
});
