import { z } from 'zod';

/*
 * The ECR API outputs registry posture reads, as `aws ecr <command> --output json` prints them
 * (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/), and the recording the nightly
 * collector writes from the same calls. Only what the checks read is required; fields the API
 * adds later are ignored. A timestamp is a string (AWS CLI v2) or epoch seconds (v1).
 */

export const RECORDING_FORMAT = 'clearance/ecr-registry/v1';

const AccountId = z
  .string({ message: 'must be a 12-digit AWS account id' })
  .regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
const Text = z
  .string({ message: 'must be a non-empty string' })
  .min(1, 'must be a non-empty string');
const Timestamp = z.union([z.string(), z.number()]);

export const TAG_MUTABILITIES = [
  'MUTABLE',
  'IMMUTABLE',
  'MUTABLE_WITH_EXCLUSION',
  'IMMUTABLE_WITH_EXCLUSION',
] as const;
export const ENCRYPTION_TYPES = ['AES256', 'KMS', 'KMS_DSSE'] as const;

const oneOf = (values: readonly [string, ...string[]]) =>
  z.enum(values as [string, ...string[]], { message: `must be one of ${values.join(', ')}` });

/** One item of describe-repositories' `repositories`. */
export const RepositorySchema = z.object({
  repositoryArn: Text,
  registryId: AccountId,
  repositoryName: Text,
  repositoryUri: z.string().optional(),
  createdAt: Timestamp.optional(),
  /** Absent only in outputs older than the field: MUTABLE, the API's default, then applies. */
  imageTagMutability: oneOf(TAG_MUTABILITIES).optional(),
  imageTagMutabilityExclusionFilters: z
    .array(z.object({ filterType: Text, filter: Text }))
    .optional(),
  imageScanningConfiguration: z.object({ scanOnPush: z.boolean() }).optional(),
  /** Absent only in outputs older than the field: AES256, the API's default, then applies. */
  encryptionConfiguration: z
    .object({ encryptionType: oneOf(ENCRYPTION_TYPES), kmsKey: Text.optional() })
    .optional(),
});
export type Repository = z.infer<typeof RepositorySchema>;

/** `aws ecr describe-repositories`; each item is read with `RepositorySchema` on its own. */
export const DescribeRepositoriesSchema = z.object({
  repositories: z.array(z.unknown(), { message: 'must be a list' }),
  nextToken: z.string().optional(),
});

/** `aws ecr get-repository-policy`; `policyText` is read by iam-policy.ts. */
export const RepositoryPolicySchema = z.object({
  registryId: AccountId,
  repositoryName: Text,
  policyText: Text,
});
export type RepositoryPolicyOutput = z.infer<typeof RepositoryPolicySchema>;

/** `aws ecr get-lifecycle-policy`; `lifecyclePolicyText` is read by lifecycle.ts. */
export const LifecyclePolicySchema = z.object({
  registryId: AccountId,
  repositoryName: Text,
  lifecyclePolicyText: Text,
  lastEvaluatedAt: Timestamp.optional(),
});
export type LifecyclePolicyOutput = z.infer<typeof LifecyclePolicySchema>;

const ReplicationRuleSchema = z.object({
  destinations: z.array(z.object({ region: Text, registryId: AccountId }), {
    message: 'must be a list',
  }),
  repositoryFilters: z.array(z.object({ filter: Text, filterType: Text })).optional(),
});
export type ReplicationRule = z.infer<typeof ReplicationRuleSchema>;

/** `aws ecr describe-registry`; no `replicationConfiguration` reads as no replication. */
export const DescribeRegistrySchema = z.object({
  registryId: AccountId,
  replicationConfiguration: z
    .object({ rules: z.array(ReplicationRuleSchema, { message: 'must be a list' }) })
    .optional(),
});
export type DescribeRegistry = z.infer<typeof DescribeRegistrySchema>;

export const PullThroughCacheRuleSchema = z.object({
  ecrRepositoryPrefix: Text,
  upstreamRegistryUrl: Text,
  registryId: AccountId,
  upstreamRegistry: z.string().optional(),
  credentialArn: z.string().optional(),
  createdAt: Timestamp.optional(),
});
export type PullThroughCacheRule = z.infer<typeof PullThroughCacheRuleSchema>;
export const PullThroughCacheRulesSchema = z.array(PullThroughCacheRuleSchema, {
  message: 'must be a list',
});

/** `aws ecr describe-pull-through-cache-rules`. */
export const DescribePullThroughCacheRulesSchema = z.object({
  pullThroughCacheRules: PullThroughCacheRulesSchema,
  nextToken: z.string().optional(),
});

/**
 * The collector's recording. Its parts (each repository entry, `describeRegistry`,
 * `pullThroughCacheRules`) are read one by one with the schemas above, so that one unreadable
 * part costs only the checks that need it: here they are only required to be there.
 */
export const RecordingSchema = z.object({
  recording: z.literal(RECORDING_FORMAT, {
    errorMap: () => ({ message: `must be ${RECORDING_FORMAT}` }),
  }),
  registryId: AccountId,
  region: Text,
  describeRegistry: z.unknown().optional(),
  pullThroughCacheRules: z.unknown().optional(),
  repositories: z.array(z.unknown(), { message: 'must be a list' }),
});
export type Recording = z.infer<typeof RecordingSchema>;

/**
 * One recording entry. A part that is `null` is the API's NotFound answer (no policy); one
 * that is absent or `{"error": "…"}` could not be read.
 */
export const RecordingEntrySchema = z.object({
  repository: z.unknown().refine((value) => value !== undefined, 'is missing'),
  policy: z.unknown().optional(),
  lifecyclePolicy: z.unknown().optional(),
});

/** A part of a recording the collector could not read, with the API's error. */
export const UnreadablePartSchema = z.object({ error: Text });
