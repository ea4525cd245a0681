import { coveredActions, granteesOf } from '../../../shared/posture/registry/grantees';
import { parsePolicyText, type PolicyStatement } from '../../../shared/posture/registry/iam-policy';
import { PUSH_ACTIONS } from '../../../shared/posture/registry';

const ACCOUNT = '111122223333';

/** The statements of a policy holding `statement`, or a failed expectation. */
function statements(statement: unknown): readonly PolicyStatement[] {
  const policy = parsePolicyText(JSON.stringify({ Statement: statement }), 'policyText');
  if ('reason' in policy) throw new Error(policy.reason);
  return policy.statements;
}
const only = (statement: Record<string, unknown>) =>
  granteesOf(statements({ Effect: 'Allow', Action: 'ecr:*', ...statement })[0]!);

describe('parsePolicyText', () => {
  describe('when Statement is one object', () => {
    it('reads it at policyText.Statement', () => {
      expect(statements({ Effect: 'Allow', Principal: '*', Action: 'ecr:*' })).toEqual([
        expect.objectContaining({ path: 'policyText.Statement', effect: 'Allow' }),
      ]);
    });
  });

  describe('when Statement is a list', () => {
    it('reads each at its index, Action or NotAction as a list', () => {
      const read = statements([
        { Effect: 'Deny', Principal: '*', Action: 'ecr:DeleteRepository' },
        { Effect: 'Allow', Principal: '*', NotAction: ['ecr:PutImage'] },
      ]);
      expect(read.map(({ path, action }) => [path, action])).toEqual([
        ['policyText.Statement[0]', { key: 'Action', patterns: ['ecr:DeleteRepository'] }],
        ['policyText.Statement[1]', { key: 'NotAction', patterns: ['ecr:PutImage'] }],
      ]);
    });
  });

  it('fails when the text is not JSON, naming where it was read', () => {
    expect(parsePolicyText('{', 'repositories[0].policy.policyText')).toEqual({
      reason: expect.stringMatching(
        /^repositories\[0\]\.policy\.policyText is not JSON: /,
      ) as string,
    });
  });

  it('fails when a statement names both Principal and NotPrincipal', () => {
    const text = JSON.stringify({
      Statement: [{ Effect: 'Allow', Principal: '*', NotPrincipal: '*', Action: 'ecr:*' }],
    });
    expect(parsePolicyText(text, 'policyText')).toEqual({
      reason: 'policyText.Statement[0] must have one of Principal and NotPrincipal',
    });
  });
});

describe('granteesOf', () => {
  describe('when the principal is everyone', () => {
    it.each([
      ['"*"', '*', 'policyText.Statement.Principal'],
      ['{"AWS": "*"}', { AWS: '*' }, 'policyText.Statement.Principal.AWS'],
      ['{"AWS": ["*"]}', { AWS: ['*'] }, 'policyText.Statement.Principal.AWS[0]'],
    ])('reads %s as everyone, unrestricted', (_, Principal, path) => {
      expect(only({ Principal })).toEqual([
        { kind: 'everyone', text: '*', path, account: null, restrictions: [] },
      ]);
    });

    it('reads a NotPrincipal as everyone but those named', () => {
      expect(only({ NotPrincipal: { AWS: ACCOUNT } })).toEqual([
        expect.objectContaining({ kind: 'everyone', path: 'policyText.Statement.NotPrincipal' }),
      ]);
    });
  });

  describe('when the principals are named', () => {
    it('reads the account of each ARN and account id, and the type of the others', () => {
      const grantees = only({
        Principal: {
          AWS: [`arn:aws:iam::${ACCOUNT}:role/ci`, '444455556666', 'AROAEXAMPLEID1234567'],
          Service: 'codebuild.amazonaws.com',
          Federated: 'cognito-identity.amazonaws.com',
        },
      });
      expect(grantees.map(({ kind, account, path }) => [kind, account, path])).toEqual([
        ['account', ACCOUNT, 'policyText.Statement.Principal.AWS[0]'],
        ['account', '444455556666', 'policyText.Statement.Principal.AWS[1]'],
        ['account', null, 'policyText.Statement.Principal.AWS[2]'],
        ['service', null, 'policyText.Statement.Principal.Service'],
        ['other', null, 'policyText.Statement.Principal.Federated'],
      ]);
    });
  });

  describe('when a condition narrows "*" down', () => {
    const restrictions = (Condition: unknown) =>
      only({ Principal: '*', Condition })[0]?.restrictions.map(({ key, values }) => [key, values]);

    it('credits account, organization and ARN keys, in any case, under positive operators', () => {
      expect(
        restrictions({
          StringEquals: { 'AWS:PrincipalOrgID': 'o-a1b2c3d4e5', 'aws:SourceAccount': [ACCOUNT] },
          ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/ci-*` },
        }),
      ).toEqual([
        ['aws:PrincipalOrgID', ['o-a1b2c3d4e5']],
        ['aws:SourceAccount', [ACCOUNT]],
        ['aws:PrincipalArn', [`arn:aws:iam::${ACCOUNT}:role/ci-*`]],
      ]);
    });

    it.each([
      ['a negative operator', { StringNotEquals: { 'aws:PrincipalAccount': ACCOUNT } }],
      ['an …IfExists operator', { StringEqualsIfExists: { 'aws:PrincipalAccount': ACCOUNT } }],
      [
        'a ForAllValues: operator',
        { 'ForAllValues:StringEquals': { 'aws:PrincipalOrgID': 'o-a' } },
      ],
      ['a wildcard account id', { StringLike: { 'aws:PrincipalAccount': '1111*' } }],
      [
        'an ARN open on the account',
        { ArnLike: { 'aws:SourceArn': 'arn:aws:lambda:*:*:function:*' } },
      ],
      ['one open value among several', { StringLike: { 'aws:PrincipalOrgID': ['o-a', '*'] } }],
      ['a key that names no caller', { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } }],
    ])('does not credit %s', (_, Condition) => {
      expect(restrictions(Condition)).toEqual([]);
    });
  });

  it('grants nothing in a Deny', () => {
    expect(granteesOf(statements({ Effect: 'Deny', Principal: '*', Action: 'ecr:*' })[0]!)).toEqual(
      [],
    );
  });
});

describe('coveredActions', () => {
  const covered = (statement: Record<string, unknown>) =>
    coveredActions(statements({ Effect: 'Allow', Principal: '*', ...statement })[0]!, PUSH_ACTIONS);

  it.each([
    ['*', PUSH_ACTIONS],
    ['ecr:*', PUSH_ACTIONS],
    ['ecr:Put*', ['ecr:PutImage']],
    ['ecr:*Layer*', ['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload']],
    ['ECR:putimage', ['ecr:PutImage']],
    ['ecr:BatchGetImage', []],
    ['s3:*', []],
  ])('reads Action %s as covering %j', (Action, actions) => {
    expect(covered({ Action })).toEqual(actions);
  });

  it('reads NotAction as covering every action it does not name', () => {
    expect(covered({ NotAction: ['ecr:Put*', 'ecr:*Layer*', 'ecr:Delete*'] })).toEqual([
      'ecr:BatchDeleteImage',
      'ecr:SetRepositoryPolicy',
    ]);
  });
});
