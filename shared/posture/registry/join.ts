import type { Collected, Found } from './collect';
import type { LocatedRule, Part, RegistrySubject, RepositorySubject } from './subjects';

/*
 * What was collected, joined into what the checks read: a repository with the policies
 * given for it (by registry id and name), the registry with its registry-wide settings.
 * A part no document gives is `unreadable`, so the checks that need it are errors.
 */

export function repositorySubject(
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
export function registrySubject(collected: Collected): RegistrySubject | undefined {
  const { replication, pullThroughCacheRules, noPullThroughCacheRules, problems } = collected;
  const [registryId, ...others] = new Set([...replication.keys(), ...pullThroughCacheRules.keys()]);
  if (registryId === undefined) {
    for (const source of noPullThroughCacheRules) {
      problems.push(
        `${source}: no pull-through cache rule, and no other registry-wide document to say of which registry`,
      );
    }
    return undefined;
  }
  for (const other of others) {
    const sources = new Set([
      replication.get(other)?.source,
      pullThroughCacheRules.get(other)?.source,
    ]);
    for (const source of sources) {
      if (source === undefined) continue;
      problems.push(
        `${source}: registry ${other} not checked: one registry is checked at a time, and ${registryId} was named first`,
      );
    }
  }
  const noRules: Part<readonly LocatedRule[]> | undefined =
    noPullThroughCacheRules.length > 0
      ? { state: 'read', value: [], path: 'pullThroughCacheRules' }
      : undefined;
  return {
    registryId,
    replication: partOf(
      replication,
      registryId,
      `no readable describe-registry output for ${registryId}`,
    ),
    pullThroughCacheRules:
      pullThroughCacheRules.get(registryId)?.found ??
      noRules ??
      unreadable(`no readable describe-pull-through-cache-rules output for ${registryId}`),
  };
}

function partOf<T>(map: Map<string, Found<Part<T>>>, key: string, missing: string): Part<T> {
  return map.get(key)?.found ?? unreadable(missing);
}

function unreadable(reason: string): Part<never> {
  return { state: 'unreadable', reason };
}

/**
 * Policies of repositories no document describes: read, but there is nothing to check them on.
 * (An unreadable one is already a problem.)
 */
export function reportOrphans(collected: Collected): void {
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
