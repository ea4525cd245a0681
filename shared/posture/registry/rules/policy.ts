import type { Evidence, PostureOutcome } from '../../check';
import { unreadable } from '../check';
import { granteesOf, restrictedTo, type Grantee } from '../grantees';
import type { PolicyStatement } from '../iam-policy';
import type { RepositorySubject } from '../subjects';

/**
 * What the policy checks share: an unreadable policy is an `error`; no policy (the API's
 * RepositoryPolicyNotFoundException) passes, since a repository is private by default and only
 * IAM principals of its own account, with IAM permissions, reach it.
 */
export function withPolicy(
  { name, policy }: RepositorySubject,
  evaluate: (statements: readonly PolicyStatement[]) => PostureOutcome,
): PostureOutcome {
  if (policy.state === 'unreadable') return unreadable(policy.reason);
  if (policy.state === 'none') {
    const reason = `${name} has no repository policy (RepositoryPolicyNotFoundException): private to its own account`;
    return { status: 'pass', evidence: [{ path: policy.path, value: null }], reason };
  }
  return evaluate(policy.value);
}

/** A principal as evidence, with the conditions that narrow it down. */
export function granteeEvidence(grantee: Grantee): Evidence[] {
  return [
    { path: grantee.path, value: grantee.text },
    ...grantee.restrictions.map(({ path, written }) => ({ path, value: written })),
  ];
}

/** Every principal of the Allow statements. */
export function allGrantees(statements: readonly PolicyStatement[]): Grantee[] {
  return statements.flatMap(granteesOf);
}

/**
 * Whether a principal is confined to accounts `trusted` accepts: an account principal by its
 * account, "everyone" by a condition whose every value names such an account (or
 * organization). A service or another type of principal is not.
 */
export function confinedTo(grantee: Grantee, trusted: (account: string) => boolean): boolean {
  if (grantee.kind === 'account') return grantee.account !== null && trusted(grantee.account);
  if (grantee.kind !== 'everyone') return false;
  return grantee.restrictions.some(({ key, values }) =>
    values.every((value) => {
      const account = restrictedTo(key, value);
      return account !== null && trusted(account);
    }),
  );
}
