export { runRegistryChecks, type RegistryCheck } from './check';
export {
  DescribePullThroughCacheRulesSchema,
  DescribeRegistrySchema,
  DescribeRepositoriesSchema,
  LifecyclePolicySchema,
  RECORDING_FORMAT,
  RecordingSchema,
  RepositoryPolicySchema,
  RepositorySchema,
  type Repository,
} from './documents';
export * from './kind';
export * from './posture';
export * from './rules';
export type * from './subjects';
