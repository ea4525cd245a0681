import type { RegistryCheck } from '../check';
import type { RegistrySubject, RepositorySubject } from '../subjects';
import { kmsEncryption } from './kms-encryption';
import { lifecyclePolicy } from './lifecycle-policy';
import { policyCrossAccount } from './policy-cross-account';
import { policyPublic } from './policy-public';
import { policyPush } from './policy-push';
import { pullThroughTrusted } from './pull-through-trusted';
import { replicationTrusted } from './replication-trusted';
import { tagImmutability } from './tag-immutability';

export { PUSH_ACTIONS } from './policy-push';

/** Every repository check, in one list, in report order. */
export const REPOSITORY_CHECKS: readonly RegistryCheck<RepositorySubject>[] = [
  policyPublic,
  policyCrossAccount,
  policyPush,
  tagImmutability,
  kmsEncryption,
  lifecyclePolicy,
];

/** Every registry-wide check, in report order. */
export const REGISTRY_CHECKS: readonly RegistryCheck<RegistrySubject>[] = [
  replicationTrusted,
  pullThroughTrusted,
];
