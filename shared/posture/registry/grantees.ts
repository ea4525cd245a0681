import { list, type PolicyStatement } from './iam-policy';
import { fieldOf, hasWildcard, wildcard } from './paths';

/*
 * Who an Allow statement grants to, and what. A statement's Condition counts only where it
 * surely narrows "everyone" down: a positive string or ARN match (no `…IfExists`, no
 * `ForAllValues:`, which an absent key satisfies) on a key naming the caller's account,
 * organization or ARN, every value of it free of wildcards in the part that names the
 * account. Any other condition (source IP, VPC endpoint, tags) is not credited, and nor is a
 * Deny statement: a gate never passes what it did not prove.
 */

/** The condition keys that narrow a principal down to accounts, an organization or ARNs. */
export const RESTRICTING_KEYS = [
  'aws:PrincipalOrgID',
  'aws:PrincipalAccount',
  'aws:SourceAccount',
  'aws:PrincipalArn',
  'aws:SourceArn',
] as const;
export type RestrictingKey = (typeof RESTRICTING_KEYS)[number];
const RESTRICTING_OPERATORS = ['stringequals', 'stringlike', 'arnequals', 'arnlike'];
const ARN_KEYS: readonly RestrictingKey[] = ['aws:PrincipalArn', 'aws:SourceArn'];

/** A condition that narrows "everyone" down, with its values. */
export interface Restriction {
  readonly key: RestrictingKey;
  readonly values: readonly string[];
  readonly path: string;
  /** The condition's value as written (one value or a list). */
  readonly written: unknown;
}

/**
 * One principal of an Allow statement: an IAM principal of an account (`account`, null when
 * the text names none, as a deleted role's unique id), a service (`codebuild.amazonaws.com`),
 * everyone (`"*"`, `{"AWS": "*"}`, or any `NotPrincipal`), or another type (Federated,
 * CanonicalUser) ECR does not use.
 */
export interface Grantee {
  readonly kind: 'account' | 'service' | 'everyone' | 'other';
  /** The principal as written. */
  readonly text: string;
  readonly path: string;
  readonly account: string | null;
  /** For `everyone`: the conditions that narrow it down (none: anyone at all). */
  readonly restrictions: readonly Restriction[];
}

/** The principals an Allow statement grants to; none for a Deny. */
export function granteesOf(statement: PolicyStatement): Grantee[] {
  if (statement.effect !== 'Allow') return [];
  const { key, value } = statement.principal;
  const path = fieldOf(statement.path, key);
  const restrictions = restrictionsOf(statement);
  if (key === 'NotPrincipal' || value === '*') {
    const text = key === 'NotPrincipal' ? `NotPrincipal ${JSON.stringify(value)}` : '*';
    return [{ kind: 'everyone', text, path, account: null, restrictions }];
  }
  return Object.entries(value).flatMap(([type, given]) =>
    list(given).map((text, i) => {
      const at = fieldOf(path, typeof given === 'string' ? type : `${type}[${i}]`);
      return grantee(type, text, at, restrictions);
    }),
  );
}

function grantee(type: string, text: string, path: string, restrictions: readonly Restriction[]) {
  const kind: Grantee['kind'] =
    type === 'AWS'
      ? text === '*'
        ? 'everyone'
        : 'account'
      : type === 'Service'
        ? 'service'
        : 'other';
  return {
    kind,
    text,
    path,
    account: kind === 'account' ? accountOf(text) : null,
    restrictions: kind === 'everyone' ? restrictions : [],
  };
}

/** The account a principal or ARN names: `123456789012`, `arn:aws:iam::123456789012:role/x`. */
export function accountOf(text: string): string | null {
  if (/^\d{12}$/.test(text)) return text;
  const account = text.startsWith('arn:') ? text.split(':')[4] : undefined;
  return account !== undefined && /^\d{12}$/.test(account) ? account : null;
}

/** The account (or organization id, `o-…`) a restriction's value confines callers to. */
export function restrictedTo(key: RestrictingKey, value: string): string | null {
  return ARN_KEYS.includes(key) ? accountOf(value) : value;
}

function restrictionsOf({ condition, path }: PolicyStatement): Restriction[] {
  return Object.entries(condition ?? {}).flatMap(([operator, entries]) => {
    if (!RESTRICTING_OPERATORS.includes(operator.toLowerCase())) return [];
    return Object.entries(entries).flatMap(([name, given]) => {
      const key = RESTRICTING_KEYS.find((k) => k.toLowerCase() === name.toLowerCase());
      const values = (Array.isArray(given) ? given : [given]).map(String);
      if (key === undefined || values.length === 0) return [];
      if (!values.every((value) => narrows(key, value))) return [];
      return [
        { key, values, path: fieldOf(path, `Condition.${operator}.${name}`), written: given },
      ];
    });
  });
}

/** Whether a condition value names one account, organization or ARN (its account literal). */
function narrows(key: RestrictingKey, value: string): boolean {
  if (!hasWildcard(value)) return value !== '';
  return ARN_KEYS.includes(key) && accountOf(value) !== null;
}

/** The actions of `actions` that a statement's Action (or, inverted, NotAction) covers. */
export function coveredActions(
  statement: PolicyStatement,
  actions: readonly string[],
): readonly string[] {
  const patterns = statement.action.patterns.map((pattern) => wildcard(pattern, 'i'));
  const matched = (action: string) => patterns.some((pattern) => pattern.test(action));
  return actions.filter((action) =>
    statement.action.key === 'Action' ? matched(action) : !matched(action),
  );
}
