import { createHash } from 'node:crypto';
import { parse as parseCel } from '@bufbuild/cel';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { messageOf } from '../core';
import { firstIssue } from '../core';
import { tooCostly } from './complexity';
import { Named, OnError, PolicyDocument, Rule, exceptionSchema } from './policy-schema';
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
    /** Deployment workloads (`clearance posture`), by id glob: `kubernetes:legacy/*`. */
    readonly workload?: string;
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
  let yaml: unknown;
  try {
    yaml = parseYaml(text, { maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    return fail(`not YAML: ${yamlProblem(error)}`);
  }
  const document = PolicyDocument.safeParse(yaml);
  if (!document.success) return fail(firstIssue(document.error).message);
  const { data } = document;
  const rules = data.rules.map((r, i) => ruleOf(r, (why) => fail(`rules[${i}]: ${why}`)));
  const ids = rules.map((r) => r.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate !== undefined) fail(`rule id "${duplicate}" is used twice`);
  const exception = exceptionSchema(ids);
  const exceptions = (data.exceptions ?? []).map((e, i) =>
    exceptionOf(e, exception, (why) => fail(`exceptions[${i}]: ${why}`)),
  );
  const onError = OnError.safeParse(data.onError);
  if (!onError.success) return fail(firstIssue(onError.error).message);
  return {
    name: data.name ?? source,
    digest: `sha256:${createHash('sha256').update(text).digest('hex')}`,
    onError: onError.data,
    rules,
    exceptions,
  };
}

/** Reads an entry named by its id: a problem after the id is the id's (`a: no "expression"`). */
function named<T extends z.ZodTypeAny>(
  value: unknown,
  schema: T,
  fail: (why: string) => never,
): { id: string; entry: z.infer<T> } {
  const name = Named.safeParse(value);
  if (!name.success) return fail(firstIssue(name.error).message);
  const entry = schema.safeParse(value);
  if (!entry.success) return fail(`${name.data.id}: ${firstIssue(entry.error).message}`);
  return { id: name.data.id, entry: entry.data as z.infer<T> };
}

function ruleOf(value: unknown, fail: (why: string) => never): PolicyRule {
  const { id, entry } = named(value, Rule, fail);
  const compileError = compileErrorOf(entry.expression);
  const { repositories, tags } = entry.match ?? {};
  return {
    id,
    ...(entry.description !== undefined && { description: entry.description }),
    action: entry.action ?? 'deny',
    ...(entry.match !== undefined && {
      match: { ...(repositories && { repositories }), ...(tags && { tags }) },
    }),
    expression: entry.expression,
    ...(compileError !== undefined && { compileError }),
    message: entry.message ?? `${id} does not hold`,
  };
}

function exceptionOf(
  value: unknown,
  schema: ReturnType<typeof exceptionSchema>,
  fail: (why: string) => never,
): PolicyException {
  const { id, entry } = named(value, schema, fail);
  return {
    id,
    ...(entry.rules !== undefined && { rules: entry.rules }),
    scope: entry.scope,
    reason: entry.reason,
    owner: entry.owner,
    ...(entry.expires !== undefined && { expires: entry.expires }),
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
