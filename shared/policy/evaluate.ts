import { isCelError, run, type CelInput } from '@bufbuild/cel';
import { messageOf } from '../core/errors';
import { parseImageReference } from '../image/reference';
import type { ScanReport } from '../scan/report';
import { policyDocument } from './document';
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
  readonly decision: 'pass' | 'warn' | 'fail';
  readonly policy: { readonly name: string; readonly digest: string };
  readonly rules: readonly RuleOutcome[];
  /** Exceptions past their expiry: they applied to nothing. */
  readonly expiredExceptions: readonly { readonly id: string; readonly expires: string }[];
}

/**
 * Evaluates `policy` on a scan report. A rule whose `match` does not name the image is
 * skipped; one an exception covers is excepted; otherwise its CEL expression decides. An
 * expression that does not compile or errs (a missing field, a null list) is an `error`, and
 * with `onError: fail` (the default) the verdict fails: never a silent pass.
 */
export function evaluatePolicy(policy: Policy, report: ScanReport, now: Date): Verdict {
  const today = now.toISOString().slice(0, 10);
  const live = policy.exceptions.filter((e) => e.expires === undefined || e.expires >= today);
  const image = identityOf(report);
  const document = policyDocument(report);
  const rules = policy.rules.map((rule) => outcomeOf(rule, image, live, document));
  return {
    decision: decisionOf(policy, rules),
    policy: { name: policy.name, digest: policy.digest },
    rules,
    expiredExceptions: policy.exceptions.flatMap((e) =>
      e.expires !== undefined && e.expires < today ? [{ id: e.id, expires: e.expires }] : [],
    ),
  };
}

interface Identity {
  /** Repository paths the image is known by (`team/app`, `registry/team/app`). */
  readonly repositories: readonly string[];
  readonly tag: string | undefined;
  readonly digests: readonly string[];
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
  if (typeof value === 'string') return result('error', `${value}${missingParts(rule, document)}`);
  return value ? result('pass', null) : result('fail', rule.message);
}

/** A hint when the expression names a part of the document this scan did not produce. */
function missingParts(rule: PolicyRule, document: Record<string, unknown>): string {
  const missing = Object.keys(document).filter(
    (key) => document[key] === null && new RegExp(`\\b${key}\\b`).test(rule.expression),
  );
  return missing.length === 0 ? '' : ` (${missing.join(', ')}: not produced by this scan)`;
}

/** The expression's boolean, or why there is none. */
function evaluate(expression: string, document: Record<string, unknown>): boolean | string {
  try {
    const value = run(expression, document as Record<string, CelInput>);
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

function decisionOf(policy: Policy, rules: readonly RuleOutcome[]): Verdict['decision'] {
  const failed = (action: PolicyRule['action']) =>
    rules.some((r) => r.action === action && r.outcome === 'fail');
  const erred = rules.some((r) => r.outcome === 'error');
  if (failed('deny') || (erred && policy.onError === 'fail')) return 'fail';
  return failed('warn') || erred ? 'warn' : 'pass';
}

function matches(rule: PolicyRule, image: Identity): boolean {
  const { repositories, tags } = rule.match ?? {};
  if (repositories && !repositories.some((g) => image.repositories.some((r) => glob(g).test(r))))
    return false;
  return !tags || (image.tag !== undefined && tags.some((g) => glob(g).test(image.tag!)));
}

function coversImage(exception: PolicyException, image: Identity): boolean {
  const { repository, digest, vulnerability } = exception.scope;
  if (vulnerability !== undefined) return false; // narrows the document instead
  if (digest !== undefined && !image.digests.includes(digest)) return false;
  return repository === undefined || image.repositories.some((r) => glob(repository).test(r));
}

function identityOf(report: ScanReport): Identity {
  const digests = [report.image.digest, report.image.manifestDigest];
  try {
    const ref = parseImageReference(report.image.reference);
    if (ref.transport === 'docker')
      return {
        repositories: [ref.repository, `${ref.registry}/${ref.repository}`],
        tag: ref.tag,
        digests,
      };
    return {
      repositories: [ref.path],
      tag: ref.transport === 'oci' ? ref.tag : undefined,
      digests,
    };
  } catch {
    return { repositories: [report.image.reference], tag: undefined, digests };
  }
}

/** `*` within a path segment, `**` across them; the rest literal. */
function glob(pattern: string): RegExp {
  const source = pattern
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${source}$`);
}
