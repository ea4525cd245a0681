import type { PostureStatus } from '../../../shared/posture/check';
import {
  REGISTRY_CHECKS,
  REPOSITORY_CHECKS,
  registryPosture,
  type RegistryDocument,
  type RegistryPostureOptions,
} from '../../../shared/posture/registry';
import {
  ACCOUNT,
  DESCRIBED,
  describeRepository,
  fixture,
  lifecyclePolicy,
  repositoryPolicy,
  result,
} from './documents';

/** What a case reads: documents, options, and the repository (null: the registry) it looks at. */
interface Setup {
  readonly documents: readonly RegistryDocument[];
  readonly options?: RegistryPostureOptions;
  readonly repository?: string | null;
}
type Cases = Partial<Record<PostureStatus, [string, Setup][]>>;

const described = (...more: RegistryDocument[]): Setup => ({
  documents: [describeRepository(), ...more],
});
const withPolicy = (statement: unknown, options?: RegistryPostureOptions): Setup => ({
  ...described(repositoryPolicy(statement)),
  ...(options !== undefined && { options }),
});
const fixtures = (
  repository: string | null,
  names: string[],
  options?: RegistryPostureOptions,
) => ({
  documents: names.map(fixture),
  repository,
  ...(options !== undefined && { options }),
});
const recorded = (repository: string) => fixtures(repository, ['recording.json']);
const allow = (principal: unknown, action: unknown, condition?: unknown) => ({
  Effect: 'Allow',
  Principal: principal,
  Action: action,
  ...(condition !== undefined && { Condition: condition }),
});
const PULL = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
const OTHER = '999988887777';

const POLICY_ERRORS: [string, Setup][] = [
  ['the policy was not given (describe-repositories alone)', described()],
  ['the recording says it could not be read', recorded('tools/builder')],
  ['policyText is not JSON', described(fixture('corrupt/policy-not-json.json'))],
];

/** Per check and status: the setups that must get that status. */
const CASES: Readonly<Record<string, Cases>> = {
  'ecr-policy-public': {
    pass: [
      ['only named principals are allowed', fixtures('app/api', DESCRIBED)],
      ['"*" is confined by aws:PrincipalOrgID', fixtures('legacy/batch', DESCRIBED)],
      [
        '"*" is confined by ArnLike aws:PrincipalArn in one account',
        withPolicy([
          allow('*', PULL, { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/*` } }),
        ]),
      ],
      ['the repository has no policy', recorded('app/web')],
      ['"*" appears only in a Deny', withPolicy([{ ...allow('*', 'ecr:*'), Effect: 'Deny' }])],
    ],
    fail: [
      ['Principal is "*"', fixtures('app/web', DESCRIBED)],
      ['Principal is {"AWS": "*"}', withPolicy([allow({ AWS: '*' }, PULL)])],
      [
        'the only condition is on the source IP',
        withPolicy([allow({ AWS: ['*'] }, PULL, { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })]),
      ],
      [
        'the organization condition is a wildcard',
        withPolicy([allow('*', PULL, { StringLike: { 'aws:PrincipalOrgID': 'o-*' } })]),
      ],
      [
        'the account condition is …IfExists',
        withPolicy([
          allow('*', PULL, { StringEqualsIfExists: { 'aws:PrincipalAccount': ACCOUNT } }),
        ]),
      ],
      [
        'the condition is a negation',
        withPolicy([
          allow('*', PULL, { StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }),
        ]),
      ],
      [
        'the ARN condition leaves the account open',
        withPolicy([
          allow('*', PULL, { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/ci' } }),
        ]),
      ],
      [
        'an Allow uses NotPrincipal',
        withPolicy([
          { Effect: 'Allow', NotPrincipal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: PULL },
        ]),
      ],
    ],
    error: POLICY_ERRORS,
  },
  'ecr-policy-cross-account': {
    pass: [
      [
        'only the own account is named, as ARN and as id',
        withPolicy({
          Effect: 'Allow',
          Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:root`, ACCOUNT] },
          Action: PULL,
        }),
      ],
      [
        'the other account is trusted',
        fixtures('app/api', DESCRIBED, { trustedAccounts: ['444455556666'] }),
      ],
      [
        'the organization "*" is confined to is trusted',
        fixtures('legacy/batch', DESCRIBED, { trustedAccounts: ['o-a1b2c3d4e5'] }),
      ],
      [
        '"*" is confined by aws:PrincipalAccount to the own account',
        withPolicy([allow('*', PULL, { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } })]),
      ],
      [
        'only a service principal is named',
        withPolicy([allow({ Service: 'lambda.amazonaws.com' }, PULL)]),
      ],
      ['the repository has no policy', recorded('app/web')],
    ],
    fail: [
      ['another account is not trusted', fixtures('app/api', DESCRIBED)],
      ['another account gets ecr:*', fixtures('tools/builder', DESCRIBED)],
      ['"*" is confined to an organization not trusted', fixtures('legacy/batch', DESCRIBED)],
      ['Principal is "*"', fixtures('app/web', DESCRIBED)],
      [
        "the principal is a deleted role's unique id",
        withPolicy([allow({ AWS: 'AROAEXAMPLEID1234567' }, PULL)]),
      ],
      [
        'the principal is Federated',
        withPolicy([allow({ Federated: 'cognito-identity.amazonaws.com' }, PULL)]),
      ],
    ],
    error: POLICY_ERRORS,
  },
  'ecr-policy-push': {
    pass: [
      ['only an own-account role may push', fixtures('app/api', DESCRIBED)],
      ['other accounts may only pull', withPolicy([allow({ AWS: OTHER }, PULL)])],
      [
        'the pusher matches a push principal glob',
        fixtures('app/api', DESCRIBED, { pushPrincipals: [`arn:aws:iam::${ACCOUNT}:role/ci-*`] }),
      ],
      [
        'an account id is named by its root ARN among the push principals',
        withPolicy([allow({ AWS: OTHER }, 'ecr:PutImage')], {
          pushPrincipals: [`arn:aws:iam::${OTHER}:root`],
        }),
      ],
      [
        'a root ARN is named by its account id among the push principals',
        withPolicy([allow({ AWS: `arn:aws:iam::${OTHER}:root` }, 'ecr:*')], {
          pushPrincipals: [OTHER],
        }),
      ],
      [
        'NotAction leaves out every ecr action',
        withPolicy([{ Effect: 'Allow', Principal: { AWS: OTHER }, NotAction: 'ecr:*' }]),
      ],
      ['the repository has no policy', recorded('app/web')],
    ],
    fail: [
      ['another account gets ecr:*', fixtures('tools/builder', DESCRIBED)],
      [
        'another account gets ecr:Put*',
        withPolicy([allow({ AWS: `arn:aws:iam::${OTHER}:role/deployer` }, 'ecr:Put*')]),
      ],
      ['a service gets *', withPolicy([allow({ Service: 'codebuild.amazonaws.com' }, '*')])],
      [
        'another account gets everything but pulls (NotAction)',
        withPolicy([{ Effect: 'Allow', Principal: { AWS: OTHER }, NotAction: PULL }]),
      ],
      [
        'the action is written in another case',
        withPolicy([allow({ AWS: OTHER }, 'ECR:PUTIMAGE')]),
      ],
      [
        'an organization may delete images',
        withPolicy([
          allow('*', 'ecr:BatchDeleteImage', {
            StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
          }),
        ]),
      ],
      [
        'the own-account pusher is not among the push principals',
        fixtures('app/api', DESCRIBED, {
          pushPrincipals: [`arn:aws:iam::${ACCOUNT}:role/release`],
        }),
      ],
    ],
    error: POLICY_ERRORS,
  },
  'ecr-tag-immutability': {
    pass: [
      ['tags are IMMUTABLE', described()],
      ['tags are IMMUTABLE_WITH_EXCLUSION', fixtures('tools/builder', DESCRIBED)],
    ],
    fail: [
      ['tags are MUTABLE', fixtures('app/web', DESCRIBED)],
      [
        'tags are MUTABLE_WITH_EXCLUSION (only the excluded ones are immutable)',
        fixtures('legacy/batch', DESCRIBED),
      ],
      [
        'imageTagMutability is absent (MUTABLE by default)',
        { documents: [describeRepository({ imageTagMutability: undefined })] },
      ],
    ],
  },
  'ecr-kms-encryption': {
    pass: [
      ['KMS with a customer managed key ARN', described()],
      ['KMS_DSSE with a customer managed key ARN', fixtures('legacy/batch', DESCRIBED)],
    ],
    fail: [
      ['AES256', fixtures('app/web', DESCRIBED)],
      ['KMS with alias/aws/ecr', fixtures('tools/builder', DESCRIBED)],
      [
        'KMS with no kmsKey',
        { documents: [describeRepository({ encryptionConfiguration: { encryptionType: 'KMS' } })] },
      ],
      [
        'encryptionConfiguration is absent (AES256 by default)',
        { documents: [describeRepository({ encryptionConfiguration: undefined })] },
      ],
    ],
  },
  'ecr-lifecycle-policy': {
    pass: [['the lifecycle policy has rules', fixtures('app/api', DESCRIBED)]],
    fail: [
      ['the repository has no lifecycle policy', recorded('app/web')],
      ['the lifecycle policy has no rules', described(lifecyclePolicy([]))],
    ],
    error: [
      ['the lifecycle policy was not given', described()],
      [
        'lifecyclePolicyText is not JSON',
        described(fixture('corrupt/lifecycle-policy-not-json.json')),
      ],
      ['the recording lacks it', fixtures('app/api', ['recording-partial.json'])],
    ],
  },
  'ecr-replication-trusted': {
    pass: [
      ['the registry replicates to itself in another region', fixtures(null, ['recording.json'])],
      [
        'the other destination is trusted',
        fixtures(null, ['describe-registry.json'], { trustedAccounts: [OTHER] }),
      ],
    ],
    fail: [['a destination is another account', fixtures(null, ['describe-registry.json'])]],
    'not-applicable': [
      ['there is no replication rule', fixtures(null, ['describe-registry-no-replication.json'])],
      [
        'describe-registry has no replicationConfiguration',
        { documents: [{ source: 'r.json', value: { registryId: ACCOUNT } }], repository: null },
      ],
    ],
    error: [
      [
        'only pull-through cache rules were given',
        fixtures(null, ['pull-through-cache-rules.json']),
      ],
      ['the recording could not read it', fixtures(null, ['recording-partial.json'])],
    ],
  },
  'ecr-pull-through-trusted': {
    pass: [
      [
        'every upstream is trusted, as a host or a URL',
        fixtures(null, ['pull-through-cache-rules.json'], {
          trustedUpstreams: ['public.ecr.aws', 'https://registry-1.docker.io/', 'GHCR.io'],
        }),
      ],
      [
        'every upstream matches a glob',
        fixtures(null, ['pull-through-cache-rules.json'], {
          trustedUpstreams: ['*.docker.io', '*.aws', 'ghcr.*'],
        }),
      ],
    ],
    fail: [
      ['no upstream is trusted', fixtures(null, ['pull-through-cache-rules.json'])],
      [
        'one upstream is not trusted',
        fixtures(null, ['pull-through-cache-rules.json'], {
          trustedUpstreams: ['public.ecr.aws', 'registry-1.docker.io'],
        }),
      ],
    ],
    'not-applicable': [
      [
        'there is no rule',
        fixtures(null, ['describe-registry.json', 'pull-through-cache-rules-empty.json']),
      ],
    ],
    error: [
      ['only describe-registry was given', fixtures(null, ['describe-registry.json'])],
      ['the recording could not read them', fixtures(null, ['recording-partial.json'])],
    ],
  },
};

const VERBS: Record<PostureStatus, string> = {
  pass: 'passes',
  fail: 'fails',
  'not-applicable': 'is not applicable',
  error: 'is an error',
};

describe('registry checks', () => {
  it('has cases for every check', () => {
    const ids = [...REPOSITORY_CHECKS, ...REGISTRY_CHECKS].map((check) => check.id);
    expect(Object.keys(CASES).sort()).toEqual(ids.sort());
  });

  describe.each(Object.entries(CASES))('%s', (id, cases) => {
    const rows = Object.entries(cases).flatMap(([status, setups]) =>
      setups.map(
        ([label, setup]) =>
          [`${VERBS[status as PostureStatus]} when ${label}`, status, setup] as const,
      ),
    );
    it.each(rows)('%s', (_, status, { documents, options = {}, repository = 'app/api' }) => {
      const outcome = result(registryPosture(documents, options), repository, id);
      expect(outcome.status).toBe(status);
      if (status === 'error' || status === 'not-applicable') {
        expect(outcome.reason).toEqual(expect.any(String));
      }
      if (status === 'fail') expect(outcome.evidence.length).toBeGreaterThan(0);
    });
  });
});
