/*
 * Amazon SNS's filter-policy matching for message attributes, the subset the stack uses, so
 * that a test can say which notifications a subscription receives
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html):
 * every key of the policy must match (AND); a key matches when the message has that String
 * attribute and any one of the key's conditions holds (OR). Conditions: an exact string,
 * `{prefix}`, `{anything-but: string | string[] | {prefix}}` and `{exists}`. Anything else (numeric
 * matching, `$or`, suffixes, policies on the message body) throws, so that a stack using more
 * than this evaluator knows fails its test instead of passing it wrongly.
 */

/** A filter policy as the synthesized `AWS::SNS::Subscription` holds it. */
export type FilterPolicy = Readonly<Record<string, unknown>>;

/** Whether SNS delivers a message with `attributes` (all Strings) to a subscription with `policy`. */
export function matchesFilterPolicy(
  policy: FilterPolicy,
  attributes: Readonly<Record<string, string>>,
): boolean {
  return Object.entries(policy).every(([key, conditions]) => {
    if (key.startsWith('$') || !Array.isArray(conditions))
      throw new Error(`filter policy key ${key}: not supported by this evaluator`);
    const value = attributes[key];
    return conditions.some((condition) => holds(condition, value));
  });
}

function holds(condition: unknown, value: string | undefined): boolean {
  if (typeof condition === 'string') return value === condition;
  const entries =
    typeof condition === 'object' && condition !== null ? Object.entries(condition) : [];
  const [operator, operand] = entries.length === 1 ? entries[0]! : [];
  switch (operator) {
    case 'prefix':
      return value !== undefined && value.startsWith(text(operand));
    case 'exists':
      return (value !== undefined) === operand;
    case 'anything-but':
      return value !== undefined && !excluded(operand, value);
    default:
      throw new Error(`filter condition ${JSON.stringify(condition)}: not supported`);
  }
}

/** What `anything-but` excludes: a string, any of a list of strings, or a prefix. */
function excluded(operand: unknown, value: string): boolean {
  if (typeof operand === 'string') return value === operand;
  if (Array.isArray(operand)) return operand.map(text).includes(value);
  if (typeof operand === 'object' && operand !== null && 'prefix' in operand)
    return value.startsWith(text(operand.prefix));
  throw new Error(`anything-but ${JSON.stringify(operand)}: not supported`);
}

function text(operand: unknown): string {
  if (typeof operand !== 'string')
    throw new Error(`filter operand ${JSON.stringify(operand)}: only strings are supported`);
  return operand;
}
