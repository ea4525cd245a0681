import type { PullThroughCacheRule, ReplicationRule, Repository } from './documents';
import type { PolicyStatement } from './iam-policy';
import type { LifecycleRule } from './lifecycle-text';

/**
 * A part of what the checks read, as it was found: read (`path` names it in its document), the
 * API's NotFound answer (`none`: no repository policy, no lifecycle policy), or `unreadable`:
 * not given at all, recorded as an error, or malformed. An unreadable part makes the checks
 * that need it `error`, never `pass`: a describe-repositories output alone says nothing of the
 * policies, and a gate must not pass what it did not read.
 */
export type Part<T> =
  | { readonly state: 'read'; readonly value: T; readonly path: string }
  | { readonly state: 'none'; readonly path: string }
  | { readonly state: 'unreadable'; readonly reason: string };

/** One repository, with its policies as found, and the document it was described in. */
export interface RepositorySubject {
  readonly registryId: string;
  readonly name: string;
  readonly arn: string;
  readonly source: string;
  /** The describe-repositories item; `path` is `repositories[0]` or a recording's `repositories[0].repository`. */
  readonly repository: { readonly value: Repository; readonly path: string };
  /** The statements of `policyText`. */
  readonly policy: Part<readonly PolicyStatement[]>;
  /** The rules of `lifecyclePolicyText`; `path` names its `rules`. */
  readonly lifecyclePolicy: Part<readonly LifecycleRule[]>;
}

/** The registry-wide settings: replication rules (describe-registry) and pull-through cache rules. */
export interface RegistrySubject {
  readonly registryId: string;
  /** `path` names the list of rules (`replicationConfiguration.rules`). */
  readonly replication: Part<readonly ReplicationRule[]>;
  /** `path` names the list (`pullThroughCacheRules`), each rule's own path its place in it. */
  readonly pullThroughCacheRules: Part<readonly LocatedRule[]>;
}

/** A pull-through cache rule and where it is (`pullThroughCacheRules[1]`). */
export interface LocatedRule {
  readonly rule: PullThroughCacheRule;
  readonly path: string;
}

/** What a user trusts beyond the registry's own account (`clearance posture` flags). */
export interface RegistryPostureOptions {
  /**
   * Accounts (12-digit ids) trusted beside the registry's own, and organizations (`o-…`)
   * whose members are trusted where a policy confines callers with `aws:PrincipalOrgID`.
   * @default - the registry's own account only
   */
  readonly trustedAccounts?: readonly string[];
  /**
   * Upstream registries pull-through cache rules may point at: hosts, `*` globs allowed
   * (`public.ecr.aws`, `*.dkr.ecr.*.amazonaws.com`).
   * @default - none: every pull-through cache rule fails until its upstream is named
   */
  readonly trustedUpstreams?: readonly string[];
  /**
   * Principals allowed to push (and delete): ARNs, account ids or service names, `*` globs
   * allowed (`arn:aws:iam::123456789012:role/ci-*`).
   * @default - any IAM principal of the registry's own account, no one else
   */
  readonly pushPrincipals?: readonly string[];
}
