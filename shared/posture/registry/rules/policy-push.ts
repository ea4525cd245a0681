import type { Evidence } from '../../check';
import type { RegistryCheck } from '../check';
import { coveredActions, granteesOf, type Grantee } from '../grantees';
import type { PolicyStatement } from '../iam-policy';
import { fieldOf, wildcard } from '../paths';
import type { RepositorySubject } from '../subjects';
import { confinedTo, granteeEvidence, withPolicy } from './policy';

/** The actions that change what a repository serves: pushing, deleting, re-granting. */
export const PUSH_ACTIONS = [
  'ecr:PutImage',
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
  'ecr:BatchDeleteImage',
  'ecr:DeleteRepository',
  'ecr:SetRepositoryPolicy',
] as const;

/**
 * Fails on an Allow of a push action (or a wildcard covering one: `ecr:*`, `ecr:Put*`, `*`,
 * or a NotAction that leaves one out) to a principal not among `pushPrincipals`. Without
 * `pushPrincipals`, principals of the registry's own account (by ARN or account id, or `"*"`
 * confined to it by a condition) pass, reported in the evidence, and any other principal,
 * services included, fails.
 */
export const policyPush: RegistryCheck<RepositorySubject> = {
  id: 'ecr-policy-push',
  version: 1,
  title: 'Repository policy lets unexpected principals push or delete',
  severity: 'HIGH',
  cis: null,
  rationale:
    'Whoever may push can replace a deployed image (or delete it, or rewrite the policy): a push grant to an unexpected principal is a supply-chain entry point that bypasses the build and its scans.',
  remediation:
    'In the repository policy (`aws ecr set-repository-policy --policy-text`), keep push actions (`ecr:PutImage`, the layer uploads, `ecr:BatchDeleteImage`, `ecr:SetRepositoryPolicy`, `ecr:DeleteRepository`) for the CI role alone, grant others the pull actions only, and name the pushers with --push-principal.',
  evaluate(subject, { pushPrincipals }) {
    const globs = pushPrincipals?.map((principal) => wildcard(principal));
    const allowed = (g: Grantee) =>
      globs === undefined
        ? confinedTo(g, (account) => account === subject.registryId)
        : namedBy(g, globs);
    return withPolicy(subject, (statements) => {
      const grants = statements.flatMap(pushGrants);
      const refused = grants.filter(({ grantee }) => !allowed(grantee));
      if (refused.length > 0) {
        const names = [...new Set(refused.map(({ grantee }) => grantee.text))].join(', ');
        const whom =
          globs === undefined ? `outside ${subject.registryId}` : 'not among the push principals';
        const reason = `push or delete allowed to principals ${whom}: ${names}`;
        return { status: 'fail', evidence: refused.flatMap(grantEvidence), reason };
      }
      if (grants.length === 0) {
        const evidence = statements.filter((s) => s.effect === 'Allow').map(actionEvidence);
        return { status: 'pass', evidence, reason: 'no Allow statement grants a push action' };
      }
      return { status: 'pass', evidence: grants.flatMap(grantEvidence) };
    });
  },
};

interface PushGrant {
  readonly grantee: Grantee;
  readonly statement: PolicyStatement;
}

function pushGrants(statement: PolicyStatement): PushGrant[] {
  if (coveredActions(statement, PUSH_ACTIONS).length === 0) return [];
  return granteesOf(statement).map((grantee) => ({ grantee, statement }));
}

function grantEvidence({ grantee, statement }: PushGrant): Evidence[] {
  return [...granteeEvidence(grantee), actionEvidence(statement)];
}

function actionEvidence({ path, action }: PolicyStatement): Evidence {
  return { path: fieldOf(path, action.key), value: action.patterns };
}

/**
 * Whether the push principals name a principal: its text (an account id and its root ARN
 * standing for each other), or, for `"*"`, every value of a condition on the caller's ARN or
 * account.
 */
function namedBy(grantee: Grantee, globs: readonly RegExp[]): boolean {
  const named = (text: string) =>
    [text, ...sameAccount(text)].some((name) => globs.some((glob) => glob.test(name)));
  if (grantee.kind !== 'everyone') return named(grantee.text);
  return grantee.restrictions.some(
    ({ key, values }) =>
      (key === 'aws:PrincipalArn' || key === 'aws:PrincipalAccount') && values.every(named),
  );
}

/** `123456789012` ↔ `arn:aws:iam::123456789012:root`: two ways IAM writes a whole account. */
function sameAccount(text: string): string[] {
  if (/^\d{12}$/.test(text)) return [`arn:aws:iam::${text}:root`];
  const root = /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(text);
  return root?.[1] === undefined ? [] : [root[1]];
}
