import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PostureCheckResult } from '../../../shared/posture/check';
import {
  registryPosture,
  type RegistryDocument,
  type RegistryPosture,
  type RegistryPostureOptions,
} from '../../../shared/posture/registry';

/** Test documents: the fixtures as the AWS CLI prints them, and variants of them built inline. */

export const ACCOUNT = '111122223333';
const FIXTURES = join(__dirname, '../../fixtures/posture/registry');

/** A fixture document, its file name as source. */
export function fixture(name: string): RegistryDocument {
  return { source: name, value: JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as unknown };
}

/** The four repositories of describe-repositories.json, with each one's own policy given. */
export const DESCRIBED = [
  'describe-repositories.json',
  'policy-app-api.json',
  'policy-app-web.json',
  'policy-tools-builder.json',
  'policy-legacy-batch.json',
  'lifecycle-policy-app-api.json',
];

/** A describe-repositories output of one repository, `settings` over an IMMUTABLE, KMS one. */
export function describeRepository(
  settings: Record<string, unknown> = {},
  name = 'app/api',
): RegistryDocument {
  const repository = {
    repositoryArn: `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/${name}`,
    registryId: ACCOUNT,
    repositoryName: name,
    repositoryUri: `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/${name}`,
    createdAt: '2025-03-04T10:15:22.481000+00:00',
    imageTagMutability: 'IMMUTABLE',
    imageScanningConfiguration: { scanOnPush: true },
    encryptionConfiguration: {
      encryptionType: 'KMS',
      kmsKey: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/4f1c8a2e-93b7-4d5a-8c61-2e9f0b7d3a15`,
    },
    ...settings,
  };
  return { source: 'describe-repositories.json', value: { repositories: [repository] } };
}

/** A get-repository-policy output whose policyText holds `Statement` (any shape). */
export function repositoryPolicy(statement: unknown, name = 'app/api'): RegistryDocument {
  const policyText = JSON.stringify({ Version: '2012-10-17', Statement: statement });
  return {
    source: 'get-repository-policy.json',
    value: { registryId: ACCOUNT, repositoryName: name, policyText },
  };
}

/** A get-lifecycle-policy output with `rules`. */
export function lifecyclePolicy(rules: unknown[], name = 'app/api'): RegistryDocument {
  return {
    source: 'get-lifecycle-policy.json',
    value: {
      registryId: ACCOUNT,
      repositoryName: name,
      lifecyclePolicyText: JSON.stringify({ rules }),
      lastEvaluatedAt: '2026-12-06T03:00:11+00:00',
    },
  };
}

/** One check's result for one repository (or for the registry, when `name` is null). */
export function result(
  posture: RegistryPosture,
  name: string | null,
  id: string,
): PostureCheckResult {
  const checks =
    name === null
      ? posture.registry?.checks
      : posture.repositories.find((repository) => repository.name === name)?.checks;
  const found = checks?.find((check) => check.id === id);
  if (found === undefined) throw new Error(`no ${id} result for ${name ?? 'the registry'}`);
  return found;
}

/** The outcome of check `id` on app/api, described by `documents`. */
export function checkOn(
  documents: readonly RegistryDocument[],
  id: string,
  options: RegistryPostureOptions = {},
): PostureCheckResult {
  return result(registryPosture(documents, options), 'app/api', id);
}
