import {
  DescribePullThroughCacheRulesCommand,
  DescribeRegistryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  ECRServiceException,
  GetLifecyclePolicyCommand,
  GetRepositoryPolicyCommand,
  type Repository,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { join } from 'node:path';
import { EcrRegistryPostureCollector } from '../../../shared/aws/ecr';
import { AwsError } from '../../../shared/aws';
import { golden } from '../../support/golden';

/*
 * Answers shaped as the Amazon ECR API Reference documents them (DescribeRegistry,
 * DescribePullThroughCacheRules, DescribeRepositories, GetRepositoryPolicy, GetLifecyclePolicy).
 */

const ecr = mockClient(ECRClient);
const client = new ECRClient({ region: 'eu-west-1' });
const ACCOUNT = '123456789012';
const CREATED = new Date('2026-01-15T10:00:00Z');
const clock = () => new Date('2026-12-07T03:00:00Z');

function repository(name: string, extra: Partial<Repository> = {}): Repository {
  return {
    repositoryArn: `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/${name}`,
    registryId: ACCOUNT,
    repositoryName: name,
    repositoryUri: `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/${name}`,
    createdAt: CREATED,
    imageTagMutability: 'MUTABLE',
    imageScanningConfiguration: { scanOnPush: false },
    encryptionConfiguration: { encryptionType: 'AES256' },
    ...extra,
  };
}

function failure(name: string, status = 400): ECRServiceException {
  return new ECRServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: `${name} message`,
  });
}

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'CiPush',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/ci` },
      Action: [
        'ecr:PutImage',
        'ecr:InitiateLayerUpload',
        'ecr:UploadLayerPart',
        'ecr:CompleteLayerUpload',
      ],
    },
    { Sid: 'Public', Effect: 'Allow', Principal: '*', Action: ['ecr:BatchGetImage'] },
  ],
});
const LIFECYCLE = JSON.stringify({
  rules: [
    {
      rulePriority: 1,
      description: 'Expire untagged images older than 14 days',
      selection: {
        tagStatus: 'untagged',
        countType: 'sinceImagePushed',
        countUnit: 'days',
        countNumber: 14,
      },
      action: { type: 'expire' },
    },
  ],
});

/** A registry of three repositories in two pages, one of them unwatched. */
function registry(): void {
  ecr.on(DescribeRegistryCommand).resolves({
    registryId: ACCOUNT,
    replicationConfiguration: {
      rules: [
        {
          destinations: [{ region: 'eu-central-1', registryId: ACCOUNT }],
          repositoryFilters: [{ filter: 'payments', filterType: 'PREFIX_MATCH' }],
        },
      ],
    },
  });
  ecr
    .on(DescribePullThroughCacheRulesCommand)
    .resolves({
      pullThroughCacheRules: [
        {
          ecrRepositoryPrefix: 'docker-hub',
          upstreamRegistryUrl: 'registry-1.docker.io',
          createdAt: CREATED,
          registryId: ACCOUNT,
          upstreamRegistry: 'docker-hub',
          credentialArn: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:ecr-pullthroughcache/docker-hub-AbCdEf`,
        },
      ],
      nextToken: 'c2',
    })
    .on(DescribePullThroughCacheRulesCommand, { nextToken: 'c2' })
    .resolves({
      pullThroughCacheRules: [
        {
          ecrRepositoryPrefix: 'quay',
          upstreamRegistryUrl: 'quay.io',
          createdAt: CREATED,
          registryId: ACCOUNT,
          upstreamRegistry: 'quay',
        },
      ],
    });
  ecr
    .on(DescribeRepositoriesCommand)
    .resolves({
      repositories: [
        repository('payments/api', {
          imageTagMutability: 'IMMUTABLE',
          encryptionConfiguration: {
            encryptionType: 'KMS',
            kmsKey: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
          },
        }),
        repository('sandbox/tmp'),
      ],
      nextToken: 'r2',
    })
    .on(DescribeRepositoriesCommand, { nextToken: 'r2' })
    .resolves({ repositories: [repository('base')] });
  ecr
    .on(GetRepositoryPolicyCommand)
    .rejects(failure('RepositoryPolicyNotFoundException'))
    .on(GetRepositoryPolicyCommand, { repositoryName: 'payments/api' })
    .resolves({ registryId: ACCOUNT, repositoryName: 'payments/api', policyText: POLICY });
  ecr
    .on(GetLifecyclePolicyCommand)
    .rejects(failure('LifecyclePolicyNotFoundException'))
    .on(GetLifecyclePolicyCommand, { repositoryName: 'payments/api' })
    .resolves({
      registryId: ACCOUNT,
      repositoryName: 'payments/api',
      lifecyclePolicyText: LIFECYCLE,
      lastEvaluatedAt: new Date('2026-12-06T00:00:00Z'),
    });
}

const collector = (repositories = ['payments/*', 'base']) =>
  new EcrRegistryPostureCollector({ client, repositories, clock });

beforeEach(() => {
  ecr.reset();
});

describe('EcrRegistryPostureCollector', () => {
  describe('when the registry has watched and unwatched repositories over two pages', () => {
    beforeEach(registry);

    it('records the watched ones only, sorted, with their settings as ECR answers', async () => {
      const recording = await collector().collect();
      expect(recording.repositories.map((r) => r.repository.repositoryName)).toEqual([
        'base',
        'payments/api',
      ]);
      expect(recording.repositories[1]!.repository).toMatchObject({
        imageTagMutability: 'IMMUTABLE',
        encryptionConfiguration: { encryptionType: 'KMS' },
        createdAt: '2026-01-15T10:00:00.000Z',
      });
      expect(ecr.commandCalls(GetRepositoryPolicyCommand)).toHaveLength(2);
    });

    it('records a policy that is not set as null, and one that is as ECR answers', async () => {
      const [base, api] = (await collector().collect()).repositories;
      expect(base).toMatchObject({ policy: null, lifecyclePolicy: null });
      expect(api!.policy).toEqual({
        registryId: ACCOUNT,
        repositoryName: 'payments/api',
        policyText: POLICY,
      });
      expect(api!.lifecyclePolicy).toMatchObject({
        lifecyclePolicyText: LIFECYCLE,
        lastEvaluatedAt: '2026-12-06T00:00:00.000Z',
      });
    });

    it('records the replication and every pull-through cache rule', async () => {
      const recording = await collector().collect();
      expect(recording).toMatchObject({
        recording: 'clearance/ecr-registry/v1',
        registryId: ACCOUNT,
        region: 'eu-west-1',
        capturedAt: '2026-12-07T03:00:00.000Z',
        describeRegistry: { replicationConfiguration: { rules: [expect.anything()] } },
      });
      expect(
        (recording.pullThroughCacheRules as { upstreamRegistryUrl: string }[]).map(
          (r) => r.upstreamRegistryUrl,
        ),
      ).toEqual(['registry-1.docker.io', 'quay.io']);
    });

    it('records the documented registry as in the golden file (the local posture fixture)', async () => {
      const recording = await collector().collect();
      const path = join(
        __dirname,
        '..',
        '..',
        'fixtures',
        'golden',
        'posture-run',
        'ecr-registry.json',
      );
      expect(recording).toEqual(golden(path, recording));
    });
  });

  describe('when a read other than "not set" fails', () => {
    it('records the error in its place and keeps the rest', async () => {
      registry();
      ecr
        .on(GetLifecyclePolicyCommand, { repositoryName: 'base' })
        .rejects(failure('AccessDeniedException'));
      ecr.on(DescribeRegistryCommand).rejects(failure('ServerException', 500));
      const recording = await collector().collect();
      expect(recording.describeRegistry).toEqual({
        error: expect.stringMatching(
          /^ECR DescribeRegistry on registry of the caller failed: ServerException \(HTTP 500\)/,
        ),
      });
      expect(recording.repositories[0]).toMatchObject({
        policy: null,
        lifecyclePolicy: {
          error: expect.stringMatching(
            /^ECR GetLifecyclePolicy on base failed: AccessDeniedException/,
          ),
        },
      });
      expect(recording.repositories[1]!.policy).toMatchObject({ policyText: POLICY });
      expect(recording.registryId).toBe(ACCOUNT);
    });
  });

  it('asks for the configured registry', async () => {
    registry();
    await new EcrRegistryPostureCollector({
      client,
      repositories: ['*'],
      registryId: '210987654321',
      clock,
    }).collect();
    expect(ecr.commandCalls(DescribeRepositoriesCommand)[0]!.args[0].input).toMatchObject({
      registryId: '210987654321',
    });
    expect(ecr.commandCalls(GetRepositoryPolicyCommand)[0]!.args[0].input).toMatchObject({
      registryId: '210987654321',
    });
  });

  it('fails when the repositories cannot be listed', async () => {
    registry();
    ecr.on(DescribeRepositoriesCommand).rejects(failure('AccessDeniedException'));
    await expect(collector().collect()).rejects.toMatchObject({
      constructor: AwsError,
      code: 'AWS_REQUEST_FAILED',
      kind: 'input',
    });
  });
});
