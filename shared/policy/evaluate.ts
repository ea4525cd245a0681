import { celEnv, celList, celMap, isCelError, parse, plan, type CelInput } from '@bufbuild/cel';
import { messageOf } from '../core';
import { coverageStatus, isIncomplete, type Coverage } from '../coverage';
import type { ImageReport } from '../report';
import { acceptByPolicy } from './coverage';
import { policyDocument } from './document';
import { glob, identityOf, inScope, type Identity } from './identity';
import type { Policy, PolicyException, PolicyRule } from './policy';

export type RuleResult = 'pass' | 'fail' | 'error' | 'excepted' | 'skipped';

export interface RuleOutcome {
  readonly id: string;
  readonly action: PolicyRule['action'];
  readonly outcome: RuleResult;
  /** Why it failed or erred, or which exception applied; null when it passed or was skipped. */
  readonly message: string | null;
  /** The id of the exception that applied, when excepted. */
  readonly exception?: string;
}

/** The policy's decision on one image, and each rule's part in it. */
export interface Verdict {
  /** `fail` when a rule denies, a rule errs under `onError: fail`, or the scan is incomplete. */
  readonly decision: 'pass' | 'warn' | 'fail';
  readonly policy: { readonly name: string; readonly digest: string };
  /**
   * Whether the scan checked everything (`complete`), left gaps that were all accepted by name
   * (`accepted`), or left a gap nobody accepted (`incomplete`: the verdict fails).
   */
  readonly coverage: 'complete' | 'accepted' | 'incomplete';
  readonly rules: readonly RuleOutcome[];
  /** Exceptions past their expiry: they applied to nothing. */
  readonly expiredExceptions: readonly { readonly id: string; readonly expires: string }[];
}

/**
 * Evaluates `policy` on a scan report. A rule whose `match` does not name the image is
 * skipped; one an exception covers is excepted; otherwise its CEL expression decides. An
 * expression that does not compile or errs (a missing field, a null list) is an `error`, and
 * with `onError: fail` (the default) the verdict fails: never a silent pass. Nor does a scan
 * that left a coverage gap nobody accepted pass, whatever the rules say (a report without
 * coverage counts as one gap).
 */
export function evaluatePolicy(policy: Policy, report: ImageReport, now: Date): Verdict {
  const coverage = acceptByPolicy(policy, report, now);
  const document = policyDocument({ ...report, coverage });
  return evaluateDocument(policy, document, identityOf(report), coverage, now);
}

/**
 * Evaluates `policy` on any document its rules are written for (a scan's, a deployment's): the
 * rules `match` and the exceptions scope `subject`; `coverage` (gaps already marked accepted)
 * fails the verdict while a gap is open.
 */
export function evaluateDocument(
  policy: Policy,
  document: Record<string, unknown>,
  subject: Identity,
  coverage: Coverage,
  now: Date,
): Verdict {
  const today = now.toISOString().slice(0, 10);
  const live = policy.exceptions.filter((e) => e.expires === undefined || e.expires >= today);
  const rules = policy.rules.map((rule) => outcomeOf(rule, subject, live, document));
  return {
    decision: decisionOf(policy, rules, coverage),
    policy: { name: policy.name, digest: policy.digest },
    coverage: coverageStatus(coverage),
    rules,
    expiredExceptions: policy.exceptions.flatMap((e) =>
      e.expires !== undefined && e.expires < today ? [{ id: e.id, expires: e.expires }] : [],
    ),
  };
}

function outcomeOf(
  rule: PolicyRule,
  image: Identity,
  exceptions: readonly PolicyException[],
  document: Record<string, unknown>,
): RuleOutcome {
  const result = (outcome: RuleResult, message: string | null) => ({
    id: rule.id,
    action: rule.action,
    outcome,
    message,
  });
  if (!matches(rule, image)) return result('skipped', null);
  const mine = exceptions.filter((e) => e.rules === undefined || e.rules.includes(rule.id));
  const covering = mine.find((e) => coversImage(e, image));
  if (covering !== undefined)
    return {
      ...result('excepted', `${covering.id}: ${covering.reason} (${covering.owner})`),
      exception: covering.id,
    };
  if (rule.compileError !== undefined) return result('error', rule.compileError);
  const value = evaluate(rule.expression, withoutExcepted(document, mine));
  if (typeof value === 'string') return result('error', missingParts(rule, document) ?? value);
  return value ? result('pass', null) : result('fail', rule.message);
}

/** Why a part of the scan document is null: what the scan did not produce. */
const NOT_PRODUCED: Readonly<Record<string, string>> = {
  os: 'no operating system was recognised',
  vulnerabilities: 'the scan had no vulnerability data',
  database: 'the scan had no vulnerability data',
  secrets: 'secrets were not searched for',
  sensitiveFiles: 'secrets were not searched for',
  checks: 'the image checks did not run',
  signature: 'no signature keys were given',
};

/**
 * When an expression that erred names a part of the document this scan did not produce, the
 * outcome says so instead of CEL's own words (`no such overload`, `null_type`).
 */
function missingParts(rule: PolicyRule, document: Record<string, unknown>): string | undefined {
  const missing = Object.keys(document).filter(
    (key) => document[key] === null && new RegExp(`\\b${key}\\b`).test(rule.expression),
  );
  if (missing.length === 0) return undefined;
  const why = [...new Set(missing.map((key) => NOT_PRODUCED[key] ?? `${key} is missing`))];
  return `not evaluated: it reads ${missing.join(' and ')}, which this scan did not produce (${why.join('; ')})`;
}

/** One CEL environment for every policy: the standard library, nothing of ours. */
const CEL = celEnv();
type Program = ReturnType<typeof plan>;
/**
 * Planned expressions by their text: a policy's few rules are parsed and planned once, not once
 * per image or workload (a fleet's posture judges thousands). Bounded: a long-lived process
 * (a warm Lambda) sees the policies it loads, a handful; past the bound the oldest go.
 */
const PROGRAMS = new Map<string, Program>();
const MAX_PROGRAMS = 512;

function programOf(expression: string): Program {
  let program = PROGRAMS.get(expression);
  if (program === undefined) {
    program = plan(CEL, parse(expression));
    if (PROGRAMS.size >= MAX_PROGRAMS) PROGRAMS.delete(PROGRAMS.keys().next().value!);
    PROGRAMS.set(expression, program);
  }
  return program;
}

/**
 * The document as CEL values, converted once: CEL converts a plain object into a map again on
 * every access, which over a policy's rules and a report's lists was most of the evaluation.
 */
const BINDINGS = new WeakMap<Record<string, unknown>, Record<string, CelInput>>();

function bindingsOf(document: Record<string, unknown>): Record<string, CelInput> {
  let bindings = BINDINGS.get(document);
  if (bindings === undefined) {
    bindings = Object.fromEntries(Object.entries(document).map(([k, v]) => [k, celValueOf(v)]));
    BINDINGS.set(document, bindings);
  }
  return bindings;
}

/** Plain JSON as CEL values, all the way down. */
function celValueOf(value: unknown): CelInput {
  if (Array.isArray(value)) return celList(value.map(celValueOf));
  if (value !== null && typeof value === 'object')
    return celMap(new Map(Object.entries(value).map(([k, v]) => [k, celValueOf(v)])));
  return value as CelInput;
}

/** The expression's boolean, or why there is none. */
function evaluate(expression: string, document: Record<string, unknown>): boolean | string {
  try {
    const value = programOf(expression)(bindingsOf(document));
    if (isCelError(value)) return `evaluation failed: ${value.message}`;
    return typeof value === 'boolean' ? value : `expected a boolean, got a ${typeof value}`;
  } catch (error) {
    return `evaluation failed: ${messageOf(error)}`;
  }
}

/** The document without the vulnerabilities that exceptions scoped to one vulnerability cover. */
function withoutExcepted(
  document: Record<string, unknown>,
  exceptions: readonly PolicyException[],
): Record<string, unknown> {
  const ids = new Set(
    exceptions.flatMap((e) => (e.scope.vulnerability ? [e.scope.vulnerability] : [])),
  );
  const vulnerabilities = document.vulnerabilities;
  if (ids.size === 0 || !Array.isArray(vulnerabilities)) return document;
  const kept = (vulnerabilities as { id: string; aliases: string[] }[]).filter(
    (v) => !ids.has(v.id) && !v.aliases.some((a) => ids.has(a)),
  );
  return { ...document, vulnerabilities: kept };
}

function decisionOf(
  policy: Policy,
  rules: readonly RuleOutcome[],
  coverage: Coverage,
): Verdict['decision'] {
  const failed = (action: PolicyRule['action']) =>
    rules.some((r) => r.action === action && r.outcome === 'fail');
  const erred = rules.some((r) => r.outcome === 'error');
  if (failed('deny') || (erred && policy.onError === 'fail') || isIncomplete(coverage))
    return 'fail';
  return failed('warn') || erred ? 'warn' : 'pass';
}

function matches(rule: PolicyRule, image: Identity): boolean {
  const { repositories, tags } = rule.match ?? {};
  if (repositories && !repositories.some((g) => image.repositories.some((r) => glob(g).test(r))))
    return false;
  return !tags || (image.tag !== undefined && tags.some((g) => glob(g).test(image.tag!)));
}

/** An exception scoped to a vulnerability narrows the document, one scoped to gaps accepts them. */
function coversImage(exception: PolicyException, image: Identity): boolean {
  const { vulnerability, coverage } = exception.scope;
  if (vulnerability !== undefined || coverage !== undefined) return false;
  return inScope(exception, image);
}
