import type { RegistryCheck } from '../check';
import type { RepositorySubject } from '../subjects';
import { allGrantees, confinedTo, granteeEvidence, withPolicy } from './policy';

/**
 * Fails on an Allow to a principal of an account other than the repository's own and the
 * trusted ones: an account principal, or `"*"` not confined by a condition to such accounts
 * (or to an organization listed among the trusted accounts). Service principals
 * (`lambda.amazonaws.com`, `codebuild.amazonaws.com`, …) pass and are reported in the
 * evidence: a service acts for callers whose accounts the statement's conditions, if any,
 * name. A principal whose account cannot be read (a deleted role's unique id, a Federated or
 * CanonicalUser principal) fails.
 */
export const policyCrossAccount: RegistryCheck<RepositorySubject> = {
  id: 'ecr-policy-cross-account',
  version: 1,
  title: 'Repository policy grants access to untrusted accounts',
  severity: 'HIGH',
  cis: null,
  rationale:
    'Each account a repository policy names can pull its images (and do what else the statement allows) with credentials this account neither issues nor audits.',
  remediation:
    'Remove the statements naming other accounts from the repository policy (`aws ecr set-repository-policy --policy-text`), or, where the account is meant to have access, name it with --trusted-account.',
  evaluate(subject, { trustedAccounts = [] }) {
    const trusted = (account: string) =>
      account === subject.registryId || trustedAccounts.includes(account);
    return withPolicy(subject, (statements) => {
      const grantees = allGrantees(statements);
      const outside = grantees.filter((g) => g.kind !== 'service' && !confinedTo(g, trusted));
      if (outside.length > 0) {
        const names = outside.map((g) => g.text).join(', ');
        const reason = `allowed to principals outside ${subject.registryId} and the trusted accounts: ${names}`;
        return { status: 'fail', evidence: outside.flatMap(granteeEvidence), reason };
      }
      const services = grantees.filter((g) => g.kind === 'service').map((g) => g.text);
      const reason =
        services.length > 0 ? `service principals pass: ${services.join(', ')}` : undefined;
      const evidence = grantees.flatMap(granteeEvidence);
      return { status: 'pass', evidence, ...(reason !== undefined && { reason }) };
    });
  },
};
