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
  type Collected,
  type Found,
  type Reading,
} from './collect';
import { registryDocumentKind } from './kind';
import { readRecording } from './recording';
import { REGISTRY_CHECKS, REPOSITORY_CHECKS } from './rules';
import type { Part, RegistryPostureOptions, RegistrySubject, RepositorySubject } from './subjects';

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

function repositorySubject(
  collected: Collected,
  key: string,
  source: string,
  repository: RepositorySubject['repository'],
): RepositorySubject {
  const { registryId, repositoryName: name, repositoryArn: arn } = repository.value;
  return {
    registryId,
    name,
    arn,
    source,
    repository,
    policy: partOf(collected.policies, key, `no readable get-repository-policy output for ${name}`),
    lifecyclePolicy: partOf(
      collected.lifecyclePolicies,
      key,
      `no readable get-lifecycle-policy output for ${name}`,
    ),
  };
}

/**
 * The registry the registry-wide documents are about. One registry is checked: the first
 * named; documents about another are a problem. An empty pull-through cache rule list names
 * no registry and is taken as the checked registry's.
 */
function registrySubject(collected: Collected): RegistrySubject | undefined {
  const ids = [
    ...new Set([...collected.replication.keys(), ...collected.pullThroughCacheRules.keys()]),
  ];
  const [registryId, ...others] = ids;
  if (registryId === undefined) {
    for (const source of collected.noPullThroughCacheRules) {
      collected.problems.push(
        `${source}: no pull-through cache rule, and no other registry-wide document to say of which registry`,
      );
    }
    return undefined;
  }
  for (const other of others) {
    collected.problems.push(
      `registry ${other}: only one registry is checked at a time (${registryId}); its registry-wide documents were not checked`,
    );
  }
  const noRules = collected.noPullThroughCacheRules[0];
  const none: Found<RegistrySubject['pullThroughCacheRules']> | undefined =
    noRules === undefined
      ? undefined
      : { source: noRules, found: { state: 'read', value: [], path: 'pullThroughCacheRules' } };
  return {
    registryId,
    replication: partOf(
      collected.replication,
      registryId,
      `no readable describe-registry output for ${registryId}`,
    ),
    pullThroughCacheRules: collected.pullThroughCacheRules.get(registryId)?.found ??
      none?.found ?? {
        state: 'unreadable',
        reason: `no readable describe-pull-through-cache-rules output for ${registryId}`,
      },
  };
}

function partOf<T>(map: Map<string, Found<Part<T>>>, key: string, missing: string): Part<T> {
  return map.get(key)?.found ?? { state: 'unreadable', reason: missing };
}

/**
 * Policies of repositories no document describes: read, but there is nothing to check them on.
 * (An unreadable one is already a problem.)
 */
function reportOrphans(collected: Collected): void {
  const orphans = [
    ...[...collected.policies].map(([key, found]) => ({ key, found, what: 'repository policy' })),
    ...[...collected.lifecyclePolicies].map(([key, found]) => ({
      key,
      found,
      what: 'lifecycle policy',
    })),
  ].filter(
    ({ key, found }) => !collected.repositories.has(key) && found.found.state !== 'unreadable',
  );
  for (const { key, found, what } of orphans) {
    collected.problems.push(
      `${found.source}: the ${what} of ${key} was not checked: no describe-repositories output given describes ${key}`,
    );
  }
}
