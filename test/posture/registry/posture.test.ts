import {
  REPOSITORY_CHECKS,
  registryPosture,
  runRegistryChecks,
  type RegistryCheck,
} from '../../../shared/posture/registry';
import {
  ACCOUNT,
  DESCRIBED,
  describeRepository,
  fixture,
  repositoryPolicy,
  result,
} from './documents';

describe('registryPosture', () => {
  describe('when each repository is described and its policies are given', () => {
    const posture = registryPosture(DESCRIBED.map(fixture), {});

    it('checks every repository, sorted by name, naming the document that described it', () => {
      expect(posture.repositories.map(({ name, source }) => [name, source])).toEqual([
        ['app/api', 'describe-repositories.json'],
        ['app/web', 'describe-repositories.json'],
        ['legacy/batch', 'describe-repositories.json'],
        ['tools/builder', 'describe-repositories.json'],
      ]);
      expect(posture.repositories[0]).toMatchObject({
        registryId: ACCOUNT,
        arn: `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/app/api`,
      });
    });

    it('runs every repository check, in report order, with no CIS item and no container', () => {
      for (const { checks } of posture.repositories) {
        expect(checks.map(({ id }) => id)).toEqual(REPOSITORY_CHECKS.map(({ id }) => id));
        expect(checks.every(({ cis, container }) => cis === null && container === null)).toBe(true);
      }
    });

    it('joins each policy to its repository whatever the order of the documents', () => {
      const reversed = registryPosture([...DESCRIBED].reverse().map(fixture), {});
      expect(reversed.repositories).toEqual(posture.repositories);
    });

    it('names the field of each document the evidence comes from', () => {
      expect(result(posture, 'app/web', 'ecr-tag-immutability').evidence).toEqual([
        { path: 'repositories[1].imageTagMutability', value: 'MUTABLE' },
      ]);
      expect(result(posture, 'app/web', 'ecr-policy-public').evidence).toEqual([
        { path: 'policyText.Statement[0].Principal', value: '*' },
      ]);
    });

    it('reports no problem and no registry', () => {
      expect(posture.problems).toEqual([]);
      expect(posture.registry).toBeNull();
    });
  });

  describe('when only describe-repositories is given', () => {
    const posture = registryPosture([fixture('describe-repositories.json')], {});

    it('makes the checks that need a policy errors, never passes', () => {
      expect(result(posture, 'app/web', 'ecr-policy-public')).toMatchObject({
        status: 'error',
        reason: 'no readable get-repository-policy output for app/web',
      });
      expect(result(posture, 'app/web', 'ecr-lifecycle-policy')).toMatchObject({
        status: 'error',
        reason: 'no readable get-lifecycle-policy output for app/web',
      });
    });

    it('still checks what describe-repositories says', () => {
      expect(result(posture, 'app/web', 'ecr-tag-immutability').status).toBe('fail');
    });
  });

  describe('when a policy is about a repository no document describes', () => {
    it('reports it as not checked, and does not join it by name alone', () => {
      const statement = { Effect: 'Allow', Principal: '*', Action: 'ecr:*' };
      const elsewhere = { ...repositoryPolicy(statement), source: 'other.json' };
      const value = { ...(elsewhere.value as object), registryId: '444455556666' };
      const posture = registryPosture([describeRepository(), { ...elsewhere, value }], {});
      expect(posture.problems).toEqual([
        'other.json: the repository policy of 444455556666/app/api was not checked: no describe-repositories output given describes 444455556666/app/api',
      ]);
      expect(result(posture, 'app/api', 'ecr-policy-public').status).toBe('error');
    });
  });

  describe('when a repository is given twice', () => {
    it('uses the first and reports the second', () => {
      const again = { ...describeRepository({ imageTagMutability: 'MUTABLE' }), source: 'b.json' };
      const posture = registryPosture([describeRepository(), again], {});
      expect(posture.problems).toEqual([
        `b.json: repository for ${ACCOUNT}/app/api given again; the one in describe-repositories.json is used`,
      ]);
      expect(result(posture, 'app/api', 'ecr-tag-immutability').status).toBe('pass');
    });
  });

  describe('when a document is malformed', () => {
    it.each([
      [
        'corrupt/describe-repositories-wrong-types.json',
        [
          'repositories[0].imageTagMutability must be one of MUTABLE, IMMUTABLE, MUTABLE_WITH_EXCLUSION, IMMUTABLE_WITH_EXCLUSION',
          'repositories[1].registryId must be a 12-digit AWS account id',
        ],
      ],
      ['corrupt/policy-not-json.json', ['policyText is not JSON: ']],
      [
        'corrupt/policy-statement-string.json',
        ['policyText.Statement must be a statement or a list of statements'],
      ],
      [
        'corrupt/policy-statement-no-effect.json',
        ['policyText.Statement[0].Effect must be Allow or Deny'],
      ],
      [
        'corrupt/policy-principal-number.json',
        ['policyText.Statement.Principal must be "*" or a map of principal types to principals'],
      ],
      ['corrupt/lifecycle-policy-not-json.json', ['lifecyclePolicyText is not JSON: ']],
      [
        'corrupt/pull-through-cache-rules-no-url.json',
        ['pullThroughCacheRules[0].upstreamRegistryUrl must be a non-empty string'],
      ],
      ['corrupt/recording-unknown-version.json', ['recording must be clearance/ecr-registry/v1']],
      [
        'corrupt/empty.json',
        [
          'not an ECR API output registry posture reads (describe-repositories, get-repository-policy, get-lifecycle-policy, describe-registry, describe-pull-through-cache-rules) nor a registry recording',
        ],
      ],
    ])('fails when reading %s, saying which field, one line each', (name, messages) => {
      const { problems } = registryPosture([fixture(name)], {});
      // Whole messages, but for the JSON parser's own words, which differ between Node versions.
      expect(problems).toEqual(
        messages.map((message): unknown =>
          expect.stringMatching(`^${escape(`${name}: ${message}`)}`),
        ),
      );
      expect(problems.every((problem) => !problem.includes('\n'))).toBe(true);
    });

    it.each([
      [
        'policyText is empty',
        { registryId: ACCOUNT, repositoryName: 'app/api', policyText: '' },
        'policyText must be a non-empty string',
      ],
      [
        'a statement has neither Action nor NotAction',
        repositoryPolicy([{ Effect: 'Allow', Principal: '*' }]).value,
        'policyText.Statement[0] must have one of Action and NotAction',
      ],
      [
        'a principal list holds a number',
        repositoryPolicy({ Effect: 'Allow', Principal: { AWS: [ACCOUNT, 7] }, Action: 'ecr:*' })
          .value,
        'policyText.Statement.Principal must be "*" or a map of principal types to principals',
      ],
      [
        'a Condition is a list',
        repositoryPolicy([{ Effect: 'Allow', Principal: '*', Action: 'ecr:*', Condition: [] }])
          .value,
        'policyText.Statement[0].Condition must be a map of operators to maps of keys to values',
      ],
      [
        'Statement is absent',
        { registryId: ACCOUNT, repositoryName: 'app/api', policyText: '{"Version": "2012-10-17"}' },
        'policyText.Statement must be a statement or a list of statements',
      ],
    ])('fails when %s, and the policy checks are errors', (_, value, message) => {
      const posture = registryPosture([describeRepository(), { source: 'p.json', value }], {});
      expect(posture.problems).toEqual([`p.json: ${message}`]);
      expect(result(posture, 'app/api', 'ecr-policy-push').status).toBe('error');
    });
  });

  describe('when given a recording', () => {
    const posture = registryPosture([fixture('recording.json')], {});

    it('names the fields of the recording in the evidence', () => {
      expect(result(posture, 'app/api', 'ecr-tag-immutability').evidence).toEqual([
        { path: 'repositories[0].repository.imageTagMutability', value: 'IMMUTABLE' },
      ]);
      expect(result(posture, 'app/api', 'ecr-policy-push').evidence[0]).toEqual({
        path: 'repositories[0].policy.policyText.Statement[0].Principal.AWS',
        value: `arn:aws:iam::${ACCOUNT}:role/ci-deploy`,
      });
    });

    it('takes a null policy as the API saying there is none', () => {
      expect(result(posture, 'app/web', 'ecr-policy-public')).toMatchObject({
        status: 'pass',
        evidence: [{ path: 'repositories[1].policy', value: null }],
      });
      expect(result(posture, 'app/web', 'ecr-lifecycle-policy')).toMatchObject({
        status: 'fail',
        evidence: [{ path: 'repositories[1].lifecyclePolicy', value: null }],
      });
    });

    it('makes a recorded error an error, with the recorded message', () => {
      expect(result(posture, 'tools/builder', 'ecr-policy-cross-account')).toMatchObject({
        status: 'error',
        reason: expect.stringContaining(
          'recording.json: repositories[2].policy could not be read: AccessDeniedException',
        ) as string,
      });
    });

    it('makes an absent part an error', () => {
      expect(result(posture, 'legacy/batch', 'ecr-policy-push')).toMatchObject({
        status: 'error',
        reason: 'recording.json: repositories[3].policy is missing',
      });
    });

    it("checks the recording's registry", () => {
      expect(posture.registry?.registryId).toBe(ACCOUNT);
      expect(posture.registry?.checks.map(({ id, status }) => [id, status])).toEqual([
        ['ecr-replication-trusted', 'pass'],
        ['ecr-pull-through-trusted', 'fail'],
      ]);
      expect(posture.problems).toEqual([]);
    });

    it("fails when an entry's policy is another repository's", () => {
      const value = fixture('recording.json').value as { repositories: object[] };
      const [entry] = value.repositories;
      const misplaced = { ...entry, policy: fixture('policy-app-web.json').value };
      const posture = registryPosture(
        [{ source: 'r.json', value: { ...value, repositories: [misplaced] } }],
        {},
      );
      expect(posture.problems).toEqual([
        `r.json: repositories[0].policy is about ${ACCOUNT}/app/web, not ${ACCOUNT}/app/api`,
      ]);
      expect(result(posture, 'app/api', 'ecr-policy-public').status).toBe('error');
    });

    it('reports a policy given both in a recording and on its own', () => {
      const posture = registryPosture(
        [fixture('recording.json'), fixture('policy-app-api.json')],
        {},
      );
      expect(posture.problems).toEqual([
        `policy-app-api.json: repository policy for ${ACCOUNT}/app/api given again; the one in recording.json is used`,
      ]);
    });
  });

  describe('when registry-wide documents are given', () => {
    it('joins describe-registry and the pull-through cache rules by registry id', () => {
      const posture = registryPosture(
        [fixture('describe-registry.json'), fixture('pull-through-cache-rules.json')],
        { trustedAccounts: ['999988887777'], trustedUpstreams: ['*'] },
      );
      expect(posture.registry?.checks.map(({ status }) => status)).toEqual(['pass', 'pass']);
      expect(posture.repositories).toEqual([]);
    });

    it('checks one registry and reports the documents of another', () => {
      const other = { registryId: '444455556666', replicationConfiguration: { rules: [] } };
      const posture = registryPosture(
        [fixture('describe-registry.json'), { source: 'other.json', value: other }],
        {},
      );
      expect(posture.registry?.registryId).toBe(ACCOUNT);
      expect(posture.problems).toEqual([
        `other.json: registry 444455556666 not checked: one registry is checked at a time, and ${ACCOUNT} was named first`,
      ]);
    });

    it('fails when an empty rule list is all there is to say which registry it is about', () => {
      const posture = registryPosture([fixture('pull-through-cache-rules-empty.json')], {});
      expect(posture.registry).toBeNull();
      expect(posture.problems).toEqual([
        'pull-through-cache-rules-empty.json: no pull-through cache rule, and no other registry-wide document to say of which registry',
      ]);
    });
  });
});

describe('runRegistryChecks', () => {
  describe('when a check throws', () => {
    it('reports an error with its message instead of crashing or passing', () => {
      const throwing: RegistryCheck<null> = {
        ...REPOSITORY_CHECKS[0]!,
        id: 'throws',
        evaluate: () => {
          throw new Error('boom');
        },
      };
      expect(runRegistryChecks([throwing], null, {})).toEqual([
        expect.objectContaining({
          id: 'throws',
          status: 'error',
          reason: 'the check failed: boom',
        }),
      ]);
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
