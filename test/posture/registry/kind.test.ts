import { registryDocumentKind } from '../../../shared/posture/registry';
import { fixture } from './documents';

describe('registryDocumentKind', () => {
  describe('when given an AWS CLI output or a recording', () => {
    it.each([
      ['describe-repositories.json', 'ecr-describe-repositories'],
      ['policy-app-api.json', 'ecr-repository-policy'],
      ['lifecycle-policy-app-api.json', 'ecr-lifecycle-policy'],
      ['describe-registry.json', 'ecr-describe-registry'],
      ['describe-registry-no-replication.json', 'ecr-describe-registry'],
      ['pull-through-cache-rules.json', 'ecr-pull-through-cache-rules'],
      ['pull-through-cache-rules-empty.json', 'ecr-pull-through-cache-rules'],
      ['recording.json', 'ecr-registry-recording'],
    ])('recognises %s as %s', (name, kind) => {
      expect(registryDocumentKind(fixture(name).value)).toBe(kind);
    });

    it('recognises an empty describe-repositories output and one with a nextToken', () => {
      expect(registryDocumentKind({ repositories: [] })).toBe('ecr-describe-repositories');
      expect(registryDocumentKind({ repositories: [], nextToken: 'abc' })).toBe(
        'ecr-describe-repositories',
      );
    });

    it('recognises describe-registry without a replicationConfiguration by its account id', () => {
      expect(registryDocumentKind({ registryId: '111122223333' })).toBe('ecr-describe-registry');
    });
  });

  describe('when the document is malformed but has the shape of one', () => {
    it.each([
      ['corrupt/describe-repositories-wrong-types.json', 'ecr-describe-repositories'],
      ['corrupt/policy-not-json.json', 'ecr-repository-policy'],
      ['corrupt/lifecycle-policy-not-json.json', 'ecr-lifecycle-policy'],
      ['corrupt/pull-through-cache-rules-no-url.json', 'ecr-pull-through-cache-rules'],
      ['corrupt/recording-unknown-version.json', 'ecr-registry-recording'],
    ])('still recognises %s, so that its fault is reported', (name, kind) => {
      expect(registryDocumentKind(fixture(name).value)).toBe(kind);
    });
  });

  describe('when given other JSON', () => {
    it.each([
      ['the empty object', {}],
      ['null', null],
      ['a list', [{ repositories: [] }]],
      ['a string', 'repositories'],
      ['a Kubernetes Deployment', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: {} }],
      [
        'an ECS task definition',
        { family: 'web', containerDefinitions: [{ name: 'web', image: 'nginx' }] },
      ],
      ['a list of repositories that are not ECR repositories', { repositories: [{ id: 1 }] }],
      ['repositories beside other keys', { repositories: [], owner: 'octocat' }],
      ['a bare registryId that is no account id', { registryId: 'docker.io' }],
      [
        'a repository policy with an extra key',
        { registryId: '111122223333', repositoryName: 'a', policyText: '{}', extra: true },
      ],
      ['pullThroughCacheRules that is not a list', { pullThroughCacheRules: {} }],
      ['another recording', { recording: 'clearance/ecs-cluster/v1', repositories: [] }],
    ])('returns undefined for %s', (_, value) => {
      expect(registryDocumentKind(value)).toBeUndefined();
    });
  });
});
