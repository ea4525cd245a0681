import type { PostureCheckResult } from '../check';
import { runRegistryChecks } from './check';
import {
  emptyCollection,
  keep,
  problem,
  readLifecyclePolicy,
  readPolicy,
  readPullThroughCacheRules,
  readRegistry,
  readRepositories,
  type Reading,
} from './collect';
import { registrySubject, reportOrphans, repositorySubject } from './join';
import { registryDocumentKind } from './kind';
import { readRecording } from './recording';
import { REGISTRY_CHECKS, REPOSITORY_CHECKS } from './rules';
import type { RegistryPostureOptions } from './subjects';

/** A document as given: where it came from (a file name) and its parsed JSON. */
export interface RegistryDocument {
  readonly source: string;
  readonly value: unknown;
}

/** One repository's checks. */
export interface RepositoryPosture {
  readonly registryId: string;
  readonly name: string;
  readonly arn: string;
  /** The document that described the repository. */
  readonly source: string;
  readonly checks: readonly PostureCheckResult[];
}

/** What registry posture found. */
export interface RegistryPosture {
  /** Sorted by registry id, then name. */
  readonly repositories: readonly RepositoryPosture[];
  /** The registry-wide checks; null when no registry-wide document was given. */
  readonly registry: {
    readonly registryId: string;
    readonly checks: readonly PostureCheckResult[];
  } | null;
  /** One line per malformed or unusable document (or part of one): `<source>: <what>`. */
  readonly problems: readonly string[];
}

/**
 * Registry posture from ECR API outputs and recordings, joined by registry id and repository
 * name: each repository a describe-repositories output (or a recording) describes gets every
 * repository check, its policies taken from whichever document gives them. A policy that no
 * document gives makes the checks that read it `error` ("no readable get-repository-policy
 * output for <name>"): a describe-repositories output alone says nothing of who may pull or
 * push, and a gate must not pass what it did not read. The AWS CLI prints nothing for a
 * repository without a policy (it fails with RepositoryPolicyNotFoundException), so only a
 * recording can say "no policy".
 */
export function registryPosture(
  documents: readonly RegistryDocument[],
  options: RegistryPostureOptions,
): RegistryPosture {
  const collected = emptyCollection();
  for (const { source, value } of documents) readDocument({ source, collected }, value);
  reportOrphans(collected);
  const repositories = [...collected.repositories.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, { source, found }]) => {
      const subject = repositorySubject(collected, key, source, found);
      const { registryId, name, arn } = subject;
      return {
        registryId,
        name,
        arn,
        source,
        checks: runRegistryChecks(REPOSITORY_CHECKS, subject, options),
      };
    });
  const subject = registrySubject(collected);
  const registry =
    subject === undefined
      ? null
      : {
          registryId: subject.registryId,
          checks: runRegistryChecks(REGISTRY_CHECKS, subject, options),
        };
  return { repositories, registry, problems: collected.problems };
}

function readDocument(reading: Reading, value: unknown): void {
  const { collected } = reading;
  switch (registryDocumentKind(value)) {
    case 'ecr-describe-repositories':
      return readRepositories(reading, value);
    case 'ecr-repository-policy': {
      const policy = readPolicy(reading, value);
      if (policy !== undefined)
        keep(reading, collected.policies, policy.key, policy.part, 'repository policy');
      return;
    }
    case 'ecr-lifecycle-policy': {
      const policy = readLifecyclePolicy(reading, value);
      if (policy !== undefined) {
        keep(reading, collected.lifecyclePolicies, policy.key, policy.part, 'lifecycle policy');
      }
      return;
    }
    case 'ecr-describe-registry': {
      const registry = readRegistry(reading, value);
      if (registry !== undefined) {
        keep(
          reading,
          collected.replication,
          registry.registryId,
          registry.part,
          'describe-registry output',
        );
      }
      return;
    }
    case 'ecr-pull-through-cache-rules':
      return readPullThroughCacheRules(reading, value);
    case 'ecr-registry-recording':
      return readRecording(reading, value);
    case undefined:
      return problem(
        reading,
        'not an ECR API output registry posture reads (describe-repositories, get-repository-policy, get-lifecycle-policy, describe-registry, describe-pull-through-cache-rules) nor a registry recording',
      );
  }
}
