import type { Policy } from '../policy';
import type { CoverageSettings } from './coverage-settings';
import { compareSeverity } from '../osv';
import { compareExploitation } from '../priority';
import { inReportOrder, judgedReport, verifySignatures } from '../scan';
import type { ScanReport } from '../scan';
import type { SignatureReport, VerificationKey } from '../signatures';
import { RegistrySource } from '../sources';
import { PipelineError } from './errors';
import type { ObjectStore } from '../objects';
import type { Clock } from '../core';
import type { ImageOpener } from './ports';
import { scanHtml } from '../output';
import { readReport, reportHtmlKey, writeJson } from './scan-keys';
import {
  EvaluateInput,
  MAX_GAPS_NAMED,
  type EvaluatedPlatform,
  type ImageTarget,
  type MatchedPlatform,
  type TopFinding,
} from './states';
import { stepBinding } from './step-binding';

/** How many findings a verdict names for people (notifications, summaries). */
export const TOP_FINDINGS = 10;

/** What judging a report needs: the policy, today for expiring exceptions, what counts as checked. */
export interface JudgingDeps {
  readonly policy: Policy;
  readonly clock: Clock;
  /** @default - the engine's maximum data age, no gap accepted, signatures only when keys are given */
  readonly coverage?: CoverageSettings;
}

/** Keys to verify cosign signatures with, and how to reach the image's registry. */
export interface SignatureDeps {
  readonly keys: readonly VerificationKey[];
  readonly opener: ImageOpener;
}

/** What Evaluate uses. */
export interface EvaluateDeps extends JudgingDeps {
  readonly store: ObjectStore;
  /** @default - signatures are not checked (`not-checked`) */
  readonly signatures?: SignatureDeps;
}

/** The Evaluate state: signatures and the policy's verdict → the platform's `EvaluatedPlatform`. */
export const EVALUATE_STEP = stepBinding('Evaluate', EvaluateInput, evaluatePlatform);

/**
 * The Evaluate step: the image's cosign signatures (with keys, for registry images; else
 * `not-checked`), then the policy's verdict over the whole report, as `scanPlatform` judges it.
 * Writes the final `report.json` and `report.html` beside it, and returns the platform's verdict
 * in brief.
 */
export async function evaluatePlatform(
  input: EvaluateInput,
  deps: EvaluateDeps,
): Promise<EvaluatedPlatform> {
  const key = input.matched.keys.report;
  const report = await readReport(deps.store, key);
  const signature = await signatureOf(input.image, report, deps.signatures);
  const keys = (deps.signatures?.keys.length ?? 0) > 0;
  const judged = judgeReport(
    { ...report, ...(signature && { signature }) },
    { ...deps, coverage: { ...deps.coverage, signatures: deps.coverage?.signatures ?? keys } },
  );
  await writeJson(deps.store, key, judged);
  // The page a person opens, linked from the notification (README, "The HTML report").
  await deps.store.put(reportHtmlKey(key), Buffer.from(scanHtml([judged])));
  return evaluatedOf(input.matched, judged);
}

/** The report under the policy: its coverage and verdict (any earlier ones replaced). */
export function judgeReport(report: ScanReport, deps: JudgingDeps): ScanReport {
  const { verdict: _earlier, ...unjudged } = report;
  const settings = deps.coverage ?? {};
  return judgedReport(inReportOrder(unjudged), {
    today: deps.clock(),
    policy: deps.policy,
    expect: {
      vulnerabilities: true,
      signatures: settings.signatures ?? false,
      ...(settings.maxDataAgeHours !== undefined && { maxDataAgeHours: settings.maxDataAgeHours }),
    },
    ...(settings.accept && { accept: settings.accept }),
  });
}

/** A judged report in brief: what Record, Notify and the fleet summary read. */
export function evaluatedOf(matched: MatchedPlatform, report: ScanReport): EvaluatedPlatform {
  const { verdict } = report;
  if (verdict === undefined)
    throw new PipelineError(
      'MISSING_OBJECT',
      `the report of ${matched.manifestDigest} is unjudged`,
    );
  const open = (report.vulnerabilities ?? []).filter((f) => f.suppressedBy === null);
  // Stable: within a severity, the report's own order (highest score first) stays; then KEV
  // first and EPSS highest first (`compareExploitation`), with no such data a no-op.
  const sorted = [...open]
    .sort((a, b) => compareSeverity(a.severity, b.severity))
    .sort(compareExploitation);
  const severe = open.filter((f) => f.severity === 'CRITICAL' || f.severity === 'HIGH');
  const gaps = (report.coverage?.gaps ?? []).filter((g) => g.acceptedBy === null);
  return {
    ...matched,
    decision: verdict.decision,
    coverage: verdict.coverage,
    ...(gaps.length > 0 && {
      gaps: gaps
        .slice(0, MAX_GAPS_NAMED)
        .map(({ kind, subject, reason }) => ({ kind, subject, reason })),
    }),
    policy: verdict.policy,
    severeFindings: [...new Set(severe.map((f) => f.id))].sort(),
    // `kev` is absent on findings of a scan without KEV data (match/finding.ts).
    ...(open.length > 0 &&
      open.every((f) => f.kev !== undefined) && {
        kev: open.filter((f) => f.kev !== null && f.kev !== undefined).length,
      }),
    topFindings: sorted.slice(0, TOP_FINDINGS).map((f): TopFinding => ({
      id: f.id,
      severity: f.severity,
      package: f.package,
      version: f.installedVersion,
      fixedVersion: f.fixedVersion,
      ...(f.kev !== undefined && { kev: f.kev !== null }),
      ...(f.epss !== undefined && f.epss !== null && { epss: f.epss.score }),
    })),
    secrets: report.secrets?.length ?? 0,
    failedChecks: failing(report.checks ?? [], (c) => c.status),
    ...ruleFailures(verdict.rules),
    signature: signatureStatus(report.signature),
    ...exceptionsOf(verdict),
  };
}

/**
 * The rules that failed the verdict (a `deny` rule that failed, any rule that erred: an error is
 * never only a warning), and the `warn` rules that failed, which warn and do not fail it.
 */
function ruleFailures(
  rules: NonNullable<ScanReport['verdict']>['rules'],
): Pick<EvaluatedPlatform, 'failedRules' | 'warnedRules'> {
  const ids = (keep: (rule: (typeof rules)[number]) => boolean) =>
    rules
      .filter(keep)
      .map((r) => r.id)
      .sort();
  const warned = ids((r) => r.action === 'warn' && r.outcome === 'fail');
  return {
    failedRules: ids((r) => r.outcome === 'error' || (r.action === 'deny' && r.outcome === 'fail')),
    ...(warned.length > 0 && { warnedRules: warned }),
  };
}

/** The exceptions that excepted rules, and the expired ones; each left out when there is none. */
function exceptionsOf(
  verdict: NonNullable<ScanReport['verdict']>,
): Pick<EvaluatedPlatform, 'exceptionsUsed' | 'expiredExceptions'> {
  const used = new Map<string, { id: string; rules: string[]; note: string }>();
  for (const rule of verdict.rules) {
    if (rule.outcome !== 'excepted' || rule.exception === undefined) continue;
    const entry = used.get(rule.exception) ?? {
      id: rule.exception,
      rules: [],
      note: rule.message ?? '',
    };
    entry.rules.push(rule.id);
    used.set(rule.exception, entry);
  }
  const expired = verdict.expiredExceptions.map(({ id, expires }) => ({ id, expires }));
  return {
    ...(used.size > 0 && {
      exceptionsUsed: [...used.values()].sort((a, b) => a.id.localeCompare(b.id)),
    }),
    ...(expired.length > 0 && { expiredExceptions: expired }),
  };
}

async function signatureOf(
  image: ImageTarget,
  report: ScanReport,
  signatures: SignatureDeps | undefined,
): Promise<SignatureReport | undefined> {
  if (signatures === undefined || signatures.keys.length === 0) return undefined;
  const source = await signatures.opener.open(image);
  try {
    if (!(source instanceof RegistrySource)) return undefined;
    const digests = [report.image.digest, report.image.manifestDigest];
    return await verifySignatures(source, digests, signatures.keys);
  } finally {
    await source.close();
  }
}

/** Ids of the items that failed or could not be evaluated (fail closed), sorted. */
function failing<T extends { readonly id: string }>(
  items: readonly T[],
  status: (item: T) => string,
): string[] {
  return items
    .filter((i) => status(i) === 'fail' || status(i) === 'error')
    .map((i) => i.id)
    .sort();
}

function signatureStatus(signature: SignatureReport | undefined): EvaluatedPlatform['signature'] {
  if (signature === undefined) return 'not-checked';
  return signature.status === 'signed' ? 'verified' : signature.status;
}
