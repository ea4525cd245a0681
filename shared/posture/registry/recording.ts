import {
  PullThroughCacheRulesSchema,
  RecordingEntrySchema,
  RecordingSchema,
  UnreadablePartSchema,
} from './documents';
import {
  keep,
  keepPullThroughCacheRules,
  problem,
  read,
  readLifecyclePolicy,
  readPolicy,
  readRegistry,
  readRepository,
  type Reading,
} from './collect';
import { fieldOf } from './paths';
import type { Part } from './subjects';

/**
 * A recording from the nightly collector. Each part is read on its own, so that one bad part
 * costs only the checks that need it. A policy that is `null` is the API's NotFound answer
 * (RepositoryPolicyNotFoundException, LifecyclePolicyNotFoundException); a part that is
 * absent or `{"error": "…"}` could not be read, and the checks that need it are `error`.
 */
export function readRecording(reading: Reading, value: unknown): void {
  const recording = read(reading, RecordingSchema, value);
  if (recording === undefined) return;
  const { collected } = reading;
  const { registryId } = recording;
  recording.repositories.forEach((item, i) => readEntry(reading, item, `repositories[${i}]`));

  const at = 'describeRegistry';
  const registry =
    recordedState(reading, recording.describeRegistry, at, false) ??
    matching(reading, readRegistry(reading, recording.describeRegistry, at), registryId, at);
  keep(reading, collected.replication, registryId, registry, 'describe-registry output');

  const base = 'pullThroughCacheRules';
  const given = recording.pullThroughCacheRules;
  const state = recordedState(reading, given, base, false);
  const rules = state === undefined ? read(reading, PullThroughCacheRulesSchema, given, base) : [];
  if (state === undefined && rules !== undefined) {
    keepPullThroughCacheRules(reading, rules, '', registryId);
  } else {
    const part = state ?? unreadable(`${reading.source}: ${base} is malformed`);
    keep(reading, collected.pullThroughCacheRules, registryId, part, 'pull-through cache rules');
  }
}

function readEntry(reading: Reading, item: unknown, base: string): void {
  const entry = read(reading, RecordingEntrySchema, item, base);
  if (entry === undefined) return;
  const key = readRepository(reading, entry.repository, fieldOf(base, 'repository'));
  if (key === undefined) return;
  const { policies, lifecyclePolicies } = reading.collected;

  const policyAt = fieldOf(base, 'policy');
  const policy =
    recordedState(reading, entry.policy, policyAt, true) ??
    matching(reading, readPolicy(reading, entry.policy, policyAt), key, policyAt);
  keep(reading, policies, key, policy, 'repository policy');

  const lifecycleAt = fieldOf(base, 'lifecyclePolicy');
  const lifecycle =
    recordedState(reading, entry.lifecyclePolicy, lifecycleAt, true) ??
    matching(
      reading,
      readLifecyclePolicy(reading, entry.lifecyclePolicy, lifecycleAt),
      key,
      lifecycleAt,
    );
  keep(reading, lifecyclePolicies, key, lifecycle, 'lifecycle policy');
}

/** What a recorded part at `path` says without being parsed: missing, NotFound, an error. */
function recordedState(
  { source }: Reading,
  given: unknown,
  path: string,
  nullIsNotFound: boolean,
): Part<never> | undefined {
  if (given === undefined) return unreadable(`${source}: ${path} is missing`);
  if (given === null) {
    return nullIsNotFound ? { state: 'none', path } : unreadable(`${source}: ${path} is null`);
  }
  const error = UnreadablePartSchema.safeParse(given);
  if (error.success) return unreadable(`${source}: ${path} could not be read: ${error.data.error}`);
  return undefined;
}

/** A parsed part, if it is about its entry's repository (or the recording's registry). */
function matching<T>(
  reading: Reading,
  parsed:
    { readonly part: Part<T>; readonly key?: string; readonly registryId?: string } | undefined,
  key: string,
  path: string,
): Part<T> {
  if (parsed === undefined) return unreadable(`${reading.source}: ${path} is malformed`);
  const about = parsed.key ?? parsed.registryId;
  if (about === key) return parsed.part;
  problem(reading, `${path} is about ${about ?? 'nothing'}, not ${key}`);
  return unreadable(`${reading.source}: ${path} is about ${about ?? 'nothing'}, not ${key}`);
}

function unreadable(reason: string): Part<never> {
  return { state: 'unreadable', reason };
}
