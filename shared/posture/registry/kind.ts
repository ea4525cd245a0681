import { isObject, type JsonObject } from '../../core';
import { RECORDING_FORMAT } from './documents';

/** The registry documents registry posture reads. */
export type RegistryDocumentKind =
  | 'ecr-describe-repositories'
  | 'ecr-repository-policy'
  | 'ecr-lifecycle-policy'
  | 'ecr-describe-registry'
  | 'ecr-pull-through-cache-rules'
  | 'ecr-registry-recording';

/** The top-level keys of each API output: all of `required`, nothing outside `allowed`. */
const SHAPES: readonly {
  readonly kind: RegistryDocumentKind;
  readonly required: readonly string[];
  readonly allowed: readonly string[];
  readonly also?: (value: JsonObject) => boolean;
}[] = [
  {
    kind: 'ecr-describe-repositories',
    required: ['repositories'],
    allowed: ['repositories', 'nextToken'],
    also: ({ repositories }) => Array.isArray(repositories) && repositories.every(isRepository),
  },
  {
    kind: 'ecr-repository-policy',
    required: ['registryId', 'repositoryName', 'policyText'],
    allowed: ['registryId', 'repositoryName', 'policyText'],
  },
  {
    kind: 'ecr-lifecycle-policy',
    required: ['repositoryName', 'lifecyclePolicyText'],
    allowed: ['registryId', 'repositoryName', 'lifecyclePolicyText', 'lastEvaluatedAt'],
  },
  {
    kind: 'ecr-describe-registry',
    required: ['registryId'],
    allowed: ['registryId', 'replicationConfiguration'],
    // `{"registryId": …}` alone is an account id, not any JSON with that one key.
    also: (value) =>
      'replicationConfiguration' in value ||
      (typeof value.registryId === 'string' && /^\d{12}$/.test(value.registryId)),
  },
  {
    kind: 'ecr-pull-through-cache-rules',
    required: ['pullThroughCacheRules'],
    allowed: ['pullThroughCacheRules', 'nextToken'],
    also: ({ pullThroughCacheRules }) => Array.isArray(pullThroughCacheRules),
  },
];

const RECORDING_PREFIX = RECORDING_FORMAT.slice(0, RECORDING_FORMAT.lastIndexOf('/') + 1);

/**
 * Which registry document `value` is, by its shape: the top-level keys of the API output (no
 * more, no fewer), or a recording's `recording` marker (any version, so that an unknown one
 * is reported rather than ignored). Undefined for anything else. Recognising a document does
 * not validate it: `parseRegistryDocument` does, and says what is wrong.
 */
export function registryDocumentKind(value: unknown): RegistryDocumentKind | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.recording === 'string') {
    return value.recording.startsWith(RECORDING_PREFIX) ? 'ecr-registry-recording' : undefined;
  }
  const keys = Object.keys(value);
  const shape = SHAPES.find(
    ({ required, allowed, also }) =>
      required.every((key) => key in value) &&
      keys.every((key) => allowed.includes(key)) &&
      (also === undefined || also(value)),
  );
  return shape?.kind;
}

/** A describe-repositories item: an object naming a repository. */
function isRepository(item: unknown): boolean {
  return isObject(item) && ('repositoryArn' in item || 'repositoryName' in item);
}
