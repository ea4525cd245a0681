import type { Evidence } from '../../check';
import type { RegistryCheck } from '../check';
import { unreadable } from '../check';
import { fieldOf } from '../paths';
import type { RegistrySubject } from '../subjects';

/**
 * Every replication destination must be the registry's own account (cross-Region replication)
 * or a trusted one. No replication rule is not-applicable.
 */
export const replicationTrusted: RegistryCheck<RegistrySubject> = {
  id: 'ecr-replication-trusted',
  version: 1,
  title: 'Registry replicates images to untrusted accounts',
  severity: 'HIGH',
  cis: null,
  rationale:
    "Replication copies every matching image into the destination registry, where that account's principals can read it and its policies, not this one's, protect it.",
  remediation:
    "Remove the destination from the registry's replication configuration (`aws ecr put-replication-configuration`, `rules[].destinations[].registryId`), or name the account with --trusted-account.",
  evaluate({ registryId, replication }, { trustedAccounts = [] }) {
    if (replication.state === 'unreadable') return unreadable(replication.reason);
    const destinations =
      replication.state === 'read'
        ? replication.value.flatMap(({ destinations }, r) =>
            destinations.map(({ registryId: account }, d) => ({
              path: fieldOf(replication.path, `[${r}].destinations[${d}].registryId`),
              value: account,
            })),
          )
        : [];
    if (destinations.length === 0) {
      const path = replication.path;
      const evidence = [{ path, value: replication.state === 'read' ? replication.value : null }];
      return { status: 'not-applicable', evidence, reason: 'no replication rule' };
    }
    const untrusted = destinations.filter(
      ({ value }) => value !== registryId && !trustedAccounts.includes(value),
    );
    if (untrusted.length === 0) return { status: 'pass', evidence: destinations };
    const reason = `replicated to accounts other than ${registryId} and the trusted ones: ${accounts(untrusted)}`;
    return { status: 'fail', evidence: untrusted, reason };
  },
};

function accounts(evidence: readonly Evidence[]): string {
  return [...new Set(evidence.map(({ value }) => String(value)))].join(', ');
}
