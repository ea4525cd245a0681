import type { RegistryCheck } from '../check';
import type { RepositorySubject } from '../subjects';
import { allGrantees, granteeEvidence, withPolicy } from './policy';

/**
 * Fails on an Allow to `"*"` (or `{"AWS": "*"}`, or any NotPrincipal) that no condition
 * confines to an account, organization or ARN (`aws:PrincipalOrgID`, `aws:PrincipalAccount`,
 * `aws:SourceAccount`, `aws:SourceArn`, `aws:PrincipalArn` under StringEquals, StringLike,
 * ArnEquals or ArnLike: grantees.ts says which count).
 */
export const policyPublic: RegistryCheck<RepositorySubject> = {
  id: 'ecr-policy-public',
  version: 1,
  title: 'Repository policy grants access to anyone',
  severity: 'CRITICAL',
  cis: null,
  rationale:
    'A statement allowing principal "*" without a condition lets any AWS account pull the images (and do whatever else it allows): code, configuration and secrets baked into layers become public.',
  remediation:
    'In the repository policy (`aws ecr set-repository-policy --policy-text`), name the principals (`"Principal": {"AWS": "arn:aws:iam::<account>:root"}`) or confine `"*"` with a `Condition` on `aws:PrincipalOrgID` or `aws:PrincipalAccount`; or remove the policy (`aws ecr delete-repository-policy`).',
  evaluate(subject) {
    return withPolicy(subject, (statements) => {
      const grantees = allGrantees(statements);
      const open = grantees.filter((g) => g.kind === 'everyone' && g.restrictions.length === 0);
      if (open.length > 0) {
        const reason =
          'allowed to everyone, with no condition naming an account, organization or ARN';
        return { status: 'fail', evidence: open.flatMap(granteeEvidence), reason };
      }
      return { status: 'pass', evidence: grantees.flatMap(granteeEvidence) };
    });
  },
};
