import type { z } from 'zod';
import { issueMessage } from '../../core';
import {
  DescribeRegistrySchema,
  DescribePullThroughCacheRulesSchema,
  DescribeRepositoriesSchema,
  LifecyclePolicySchema,
  RepositoryPolicySchema,
  RepositorySchema,
  type PullThroughCacheRule,
  type ReplicationRule,
  type Repository,
} from './documents';
import { parsePolicyText, type PolicyStatement } from './iam-policy';
import { parseLifecyclePolicyText, type LifecycleRule } from './lifecycle-text';
import { fieldOf } from './paths';
import type { LocatedRule, Part } from './subjects';

/** What was read from one document or another, keyed by `<registryId>/<repositoryName>`. */
export interface Collected {
  readonly repositories: Map<string, Found<{ value: Repository; path: string }>>;
  readonly policies: Map<string, Found<Part<readonly PolicyStatement[]>>>;
  readonly lifecyclePolicies: Map<string, Found<Part<readonly LifecycleRule[]>>>;
  readonly replication: Map<string, Found<Part<readonly ReplicationRule[]>>>;
  readonly pullThroughCacheRules: Map<string, Found<Part<readonly LocatedRule[]>>>;
  /** Sources of empty describe-pull-through-cache-rules outputs, which name no registry. */
  readonly noPullThroughCacheRules: string[];
  readonly problems: string[];
}

/** A value with the document it came from. */
export interface Found<T> {
  readonly source: string;
  readonly found: T;
}

/** The document being read, and where its problems go. */
export interface Reading {
  readonly source: string;
  readonly collected: Collected;
}

export function emptyCollection(): Collected {
  return {
    repositories: new Map(),
    policies: new Map(),
    lifecyclePolicies: new Map(),
    replication: new Map(),
    pullThroughCacheRules: new Map(),
    noPullThroughCacheRules: [],
    problems: [],
  };
}

export const keyOf = (registryId: string, name: string) => `${registryId}/${name}`;

/** `schema` applied to `value` (found at `base`), or undefined after recording the problem. */
export function read<T>(
  reading: Reading,
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  value: unknown,
  base = '',
): T | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  problem(reading, issueMessage(parsed.error, base));
  return undefined;
}

export function problem({ source, collected }: Reading, message: string): void {
  collected.problems.push(`${source}: ${message}`);
}

/** Keeps the first of several values for one key; a later one is a problem. */
export function keep<T>(
  reading: Reading,
  map: Map<string, Found<T>>,
  key: string,
  found: T,
  what: string,
): void {
  const first = map.get(key);
  if (first === undefined) map.set(key, { source: reading.source, found });
  else problem(reading, `${what} for ${key} given again; the one in ${first.source} is used`);
}

/** A describe-repositories output: each item read on its own, so one bad item costs only it. */
export function readRepositories(reading: Reading, value: unknown): void {
  const envelope = DescribeRepositoriesSchema.safeParse(value);
  if (!envelope.success) return problem(reading, issueMessage(envelope.error));
  envelope.data.repositories.forEach((item, i) => {
    readRepository(reading, item, fieldOf('', `repositories[${i}]`));
  });
}

export function readRepository(reading: Reading, item: unknown, path: string): string | undefined {
  const repository = read(reading, RepositorySchema, item, path);
  if (repository === undefined) return undefined;
  const key = keyOf(repository.registryId, repository.repositoryName);
  keep(reading, reading.collected.repositories, key, { value: repository, path }, 'repository');
  return key;
}

/** A get-repository-policy output (at `base` in a recording); undefined when unreadable. */
export function readPolicy(
  reading: Reading,
  value: unknown,
  base = '',
): { key: string; part: Part<readonly PolicyStatement[]> } | undefined {
  const output = read(reading, RepositoryPolicySchema, value, base);
  if (output === undefined) return undefined;
  const key = keyOf(output.registryId, output.repositoryName);
  const path = fieldOf(base, 'policyText');
  const policy = parsePolicyText(output.policyText, path);
  if ('reason' in policy) {
    problem(reading, policy.reason);
    return { key, part: { state: 'unreadable', reason: `${reading.source}: ${policy.reason}` } };
  }
  return { key, part: { state: 'read', value: policy.statements, path } };
}

/** A get-lifecycle-policy output (at `base` in a recording); undefined when unreadable. */
export function readLifecyclePolicy(
  reading: Reading,
  value: unknown,
  base = '',
): { key: string; part: Part<readonly LifecycleRule[]> } | undefined {
  const output = read(reading, LifecyclePolicySchema, value, base);
  if (output === undefined) return undefined;
  const key = keyOf(output.registryId, output.repositoryName);
  const path = fieldOf(base, 'lifecyclePolicyText');
  const policy = parseLifecyclePolicyText(output.lifecyclePolicyText, path);
  if ('reason' in policy) {
    problem(reading, policy.reason);
    return { key, part: { state: 'unreadable', reason: `${reading.source}: ${policy.reason}` } };
  }
  return { key, part: { state: 'read', value: policy.rules, path: fieldOf(path, 'rules') } };
}

/** A describe-registry output (at `base` in a recording): its replication rules. */
export function readRegistry(
  reading: Reading,
  value: unknown,
  base = '',
): { registryId: string; part: Part<readonly ReplicationRule[]> } | undefined {
  const output = read(reading, DescribeRegistrySchema, value, base);
  if (output === undefined) return undefined;
  const path = fieldOf(base, 'replicationConfiguration');
  const part: Part<readonly ReplicationRule[]> =
    output.replicationConfiguration === undefined
      ? { state: 'none', path }
      : {
          state: 'read',
          value: output.replicationConfiguration.rules,
          path: fieldOf(path, 'rules'),
        };
  return { registryId: output.registryId, part };
}

/** A describe-pull-through-cache-rules output: its rules, per registry. */
export function readPullThroughCacheRules(reading: Reading, value: unknown): void {
  const output = read(reading, DescribePullThroughCacheRulesSchema, value);
  if (output !== undefined) keepPullThroughCacheRules(reading, output.pullThroughCacheRules, '');
}

/** Pull-through cache rules found at `base`, kept per registry (each rule names its own). */
export function keepPullThroughCacheRules(
  reading: Reading,
  rules: readonly PullThroughCacheRule[],
  base: string,
  registryId?: string,
): void {
  const path = fieldOf(base, 'pullThroughCacheRules');
  const located = rules.map((rule, i) => ({ rule, path: fieldOf(path, `[${i}]`) }));
  const registries = new Set(rules.map((rule) => rule.registryId));
  if (registryId !== undefined) registries.add(registryId);
  if (registries.size === 0) reading.collected.noPullThroughCacheRules.push(reading.source);
  for (const id of registries) {
    const value = located.filter(({ rule }) => rule.registryId === id);
    const part: Part<readonly LocatedRule[]> = { state: 'read', value, path };
    keep(reading, reading.collected.pullThroughCacheRules, id, part, 'pull-through cache rules');
  }
}
