import { createHash } from 'node:crypto';
import { parse as parseCel } from '@bufbuild/cel';
import { parse as parseYaml } from 'yaml';
import { isObject, type JsonObject } from '../core/json';
import { messageOf } from '../core/errors';
import { yamlDay } from '../core/yaml';
import { parseGapPattern } from '../coverage/accept';
import { tooCostly } from './complexity';
import { PolicyError } from './errors';

/**
 * A team's policy: rules in CEL over the scan document, and exceptions with owners and expiry.
 *
 * ```yaml
 * name: payments
 * onError: fail            # a rule that cannot be evaluated fails the verdict (default)
 * rules:
 *   - id: no-fixable-critical
 *     description: CRITICAL vulnerabilities that have a fix block a release
 *     action: deny         # deny fails the verdict, warn only warns
 *     match: { repositories: ["payments/*"], tags: ["release-*"] }   # optional globs
 *     expression: vulnerabilities.filter(v, v.severity == 'CRITICAL' && v.fixedVersion != null).size() == 0
 *     message: CRITICAL vulnerabilities have fixes
 * exceptions:
 *   - id: legacy-batch
 *     rules: [no-fixable-critical]   # optional: every rule when absent
 *     scope: { repository: "payments/legacy-*" }   # or digest: sha256:…, vulnerability: CVE-…,
 *                                                  # or coverage: no-advisory-source (a gap kind[:subject])
 *     reason: replaced in Q1
 *     owner: team-payments
 *     expires: 2027-03-31
 * ```
 *
 * A rule's expression states what must hold, as a Kubernetes ValidatingAdmissionPolicy's does:
 * `true` passes, `false` fails with the message.
 */
export interface Policy {
  readonly name: string;
  /** sha256 of the policy file's bytes: which policy decided a verdict. */
  readonly digest: string;
  readonly onError: 'fail' | 'warn';
  readonly rules: readonly PolicyRule[];
  readonly exceptions: readonly PolicyException[];
}

export interface PolicyRule {
  readonly id: string;
  readonly description?: string;
  readonly action: 'deny' | 'warn';
  readonly match?: { readonly repositories?: readonly string[]; readonly tags?: readonly string[] };
  readonly expression: string;
  /**
   * Why the expression does not compile. The rule is kept, and its outcome is `error`: the
   * verdict fails closed rather than the policy losing a rule.
   */
  readonly compileError?: string;
  readonly message: string;
}

export interface PolicyException {
  readonly id: string;
  /** The rules it exempts from; every rule when absent. */
  readonly rules?: readonly string[];
  readonly scope: {
    readonly repository?: string;
    readonly digest?: string;
    readonly vulnerability?: string;
    /** Coverage gaps it accepts: `kind` or `kind:subject` (see coverage/accept.ts). */
    readonly coverage?: string;
  };
  readonly reason: string;
  readonly owner: string;
  /** The last day (YYYY-MM-DD, UTC) it applies; absent means until removed. */
  readonly expires?: string;
}

/**
 * Reads a policy file. Anything unclear fails with a message naming the place: a rule without
 * an id or expression, an action other than deny/warn, an exception without scope, reason or
 * owner. A policy nobody can read is not enforced halfway. An expression that does not compile
 * is kept with its error, and evaluates to an `error` outcome.
 */
export function parsePolicy(text: string, source: string): Policy {
  const fail = (why: string): never => {
    throw new PolicyError('POLICY_INVALID', `${source}: ${why}`);
  };
  if (text.length > MAX_POLICY_CHARS)
    fail(`${text.length} characters; a policy is at most ${MAX_POLICY_CHARS}`);
  let document: unknown;
  try {
    document = parseYaml(text, { maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    return fail(`not YAML: ${yamlProblem(error)}`);
  }
  if (!isObject(document)) return fail('expected a mapping with "rules:"');
  if (!Array.isArray(document.rules) || document.rules.length === 0)
    return fail('expected a non-empty "rules:" list');
  const rules = document.rules.map((r, i) => ruleOf(r, (why) => fail(`rules[${i}]: ${why}`)));
  const ids = rules.map((r) => r.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate !== undefined) fail(`rule id "${duplicate}" is used twice`);
  const exceptions = (Array.isArray(document.exceptions) ? document.exceptions : []).map((e, i) =>
    exceptionOf(e, ids, (why) => fail(`exceptions[${i}]: ${why}`)),
  );
  const onError = document.onError ?? 'fail';
  if (onError !== 'fail' && onError !== 'warn') fail('"onError" is fail or warn');
  return {
    name: text_(document.name) ?? source,
    digest: `sha256:${createHash('sha256').update(text).digest('hex')}`,
    onError: onError as Policy['onError'],
    rules,
    exceptions,
  };
}

function ruleOf(value: unknown, fail: (why: string) => never): PolicyRule {
  if (!isObject(value)) return fail('not a mapping');
  const id = text_(value.id) ?? fail('no "id"');
  const expression = text_(value.expression) ?? fail(`${id}: no "expression"`);
  const action = value.action ?? 'deny';
  if (action !== 'deny' && action !== 'warn') fail(`${id}: "action" is deny or warn`);
  const compileError = compileErrorOf(expression);
  const match = isObject(value.match) ? matchOf(value.match) : undefined;
  const description = text_(value.description);
  return {
    id,
    ...(description !== undefined && { description }),
    action: action,
    ...(match !== undefined && { match }),
    expression,
    ...(compileError !== undefined && { compileError }),
    message: text_(value.message) ?? `${id} does not hold`,
  };
}

/** Why `expression` is not CEL, or too costly to evaluate; undefined when it may be run. */
function compileErrorOf(expression: string): string | undefined {
  const long = tooCostly(expression);
  if (long !== undefined) return long;
  try {
    return tooCostly(expression, parseCel(expression).expr);
  } catch (error) {
    return `the expression does not compile: ${firstLine(messageOf(error))}`;
  }
}

/** A policy file's text at most: a policy is rules a team reads, not data. */
const MAX_POLICY_CHARS = 1024 * 1024;
/** YAML aliases expanded at most (the billion-laughs attack expands a few into billions). */
const MAX_YAML_ALIASES = 100;

/** The YAML parser's complaint in one line; a stack overflow is nesting too deep. */
function yamlProblem(error: unknown): string {
  const message = messageOf(error);
  if (error instanceof RangeError || /Maximum call stack size exceeded/.test(message))
    return 'nested too deeply';
  return firstLine(message);
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!.trim();
}

function matchOf(value: JsonObject): PolicyRule['match'] {
  const globs = (v: unknown) =>
    Array.isArray(v) ? v.filter((g) => typeof g === 'string') : undefined;
  const repositories = globs(value.repositories);
  const tags = globs(value.tags);
  return { ...(repositories && { repositories }), ...(tags && { tags }) };
}

function exceptionOf(
  value: unknown,
  ruleIds: readonly string[],
  fail: (why: string) => never,
): PolicyException {
  if (!isObject(value)) return fail('not a mapping');
  const id = text_(value.id) ?? fail('no "id"');
  const reason = text_(value.reason) ?? fail(`${id}: no "reason"`);
  const owner = text_(value.owner) ?? fail(`${id}: no "owner"`);
  const scope = scopeOf(value.scope, (why) => fail(`${id}: ${why}`));
  const rules = Array.isArray(value.rules) ? value.rules.map(String) : undefined;
  const unknown = rules?.find((r) => !ruleIds.includes(r));
  if (unknown !== undefined) fail(`${id}: no rule "${unknown}"`);
  const expires = yamlDay(value.expires);
  if (expires !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(expires))
    fail(`${id}: "expires" is not a YYYY-MM-DD date`);
  return {
    id,
    ...(rules !== undefined && { rules }),
    scope,
    reason,
    owner,
    ...(expires !== undefined && { expires }),
  };
}

const SCOPES = ['repository', 'digest', 'vulnerability', 'coverage'] as const;

function scopeOf(value: unknown, fail: (why: string) => never): PolicyException['scope'] {
  if (!isObject(value)) return fail('no "scope"');
  const scope = Object.fromEntries(
    SCOPES.flatMap((key) => {
      const v = text_(value[key]);
      return v === undefined ? [] : [[key, v]];
    }),
  ) as PolicyException['scope'];
  if (Object.keys(scope).length === 0)
    fail('"scope" names a repository, a digest, a vulnerability or a coverage gap');
  if (scope.coverage !== undefined) {
    try {
      parseGapPattern(scope.coverage, 'scope.coverage');
    } catch (error) {
      fail((error as Error).message);
    }
  }
  return scope;
}

function text_(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
