import { compareSeverity } from '../osv';
import type { ImageReport } from '../report';
import { FRAMEWORKS, type FrameworkId } from './frameworks';
import { MAPPING, UNASSESSED } from './mapping';

export type ControlStatus = 'pass' | 'fail' | 'not-applicable' | 'not-assessed';

/** One piece of evidence behind a control's status. */
export interface ControlEvidence {
  readonly source: string;
  readonly status: ControlStatus;
  readonly detail: string;
}

export interface ControlResult {
  readonly id: string;
  readonly title: string;
  readonly status: ControlStatus;
  readonly evidence: readonly ControlEvidence[];
}

/** `scan --compliance`: the framework's controls, each judged on the scan's evidence. */
export interface ComplianceReport {
  readonly framework: FrameworkId;
  readonly title: string;
  readonly controls: readonly ControlResult[];
}

/**
 * Judges each control of `framework` on the evidence of `report`: failed if any evidence fails;
 * else not assessed if some evidence is missing (a source that did not run, a step not built, no
 * source mapped); else passed, or not applicable when all of its evidence is.
 */
export function complianceReport(report: ImageReport, framework: FrameworkId): ComplianceReport {
  const spec = FRAMEWORKS.find((f) => f.id === framework)!;
  const evidence = Object.keys(MAPPING).map((source) => ({ source, ...judge(report, source) }));
  const controls = spec.controls.map((control) => {
    const behind = evidence.filter((e) => MAPPING[e.source]![framework]?.includes(control.id));
    const why = UNASSESSED[framework]?.[control.id];
    const pending =
      why === undefined ? [] : [{ source: 'none', status: 'not-assessed' as const, detail: why }];
    const all = [...behind, ...pending];
    return { ...control, status: statusOf(all), evidence: all };
  });
  return { framework, title: spec.title, controls };
}

function statusOf(evidence: readonly ControlEvidence[]): ControlStatus {
  if (evidence.some((e) => e.status === 'fail')) return 'fail';
  if (evidence.length === 0 || evidence.some((e) => e.status === 'not-assessed'))
    return 'not-assessed';
  return evidence.some((e) => e.status === 'pass') ? 'pass' : 'not-applicable';
}

type Judgement = { status: ControlStatus; detail: string };

/** How one evidence source came out in this scan. */
function judge(report: ImageReport, source: string): Judgement {
  if (source.startsWith('check:')) return judgeCheck(report, source.slice('check:'.length));
  if (source === 'secrets') return judgeFound(report.secrets, source);
  if (source === 'sensitive-files') return judgeFound(report.sensitiveFiles, source);
  if (source === 'signature') return judgeSignature(report);
  return judgeVulnerabilities(report, source);
}

function judgeCheck(report: ImageReport, id: string): Judgement {
  const check = report.checks?.find((c) => c.id === id);
  if (check === undefined) return { status: 'not-assessed', detail: 'checks did not run' };
  const detail = check.evidence.join('; ') || check.status;
  if (check.status === 'fail' || check.status === 'error') return { status: 'fail', detail };
  if (check.status === 'not-applicable') return { status: 'not-applicable', detail };
  return { status: 'pass', detail };
}

function judgeFound(found: readonly { rule: string }[] | undefined, what: string): Judgement {
  if (found === undefined) return { status: 'not-assessed', detail: 'secrets were not searched' };
  if (found.length === 0) return { status: 'pass', detail: `no ${what}` };
  const rules = [...new Set(found.map((f) => f.rule))].join(', ');
  return { status: 'fail', detail: `${found.length} ${what}: ${rules}` };
}

function judgeSignature({ signature }: ImageReport): Judgement {
  if (signature === undefined) return { status: 'not-assessed', detail: 'no signature key given' };
  if (signature.status === 'signed')
    return { status: 'pass', detail: `signed by ${signature.keyId ?? 'a trusted key'}` };
  return { status: 'fail', detail: [signature.status, ...signature.problems].join(': ') };
}

function judgeVulnerabilities(report: ImageReport, source: string): Judgement {
  if (report.vulnerabilities === undefined)
    return { status: 'not-assessed', detail: 'no vulnerability data' };
  if (source === 'vulnerabilities-scanned')
    return {
      status: 'pass',
      detail: `scanned against data ${report.database?.version ?? ''}`.trim(),
    };
  const fixable = report.vulnerabilities.filter(
    (f) =>
      f.suppressedBy === null &&
      f.fixedVersion !== null &&
      compareSeverity(f.severity, 'HIGH') <= 0,
  );
  if (fixable.length === 0)
    return { status: 'pass', detail: 'no CRITICAL or HIGH vulnerability with a fix' };
  const some = fixable.slice(0, 5).map((f) => `${f.id} (${f.package})`);
  return {
    status: 'fail',
    detail: `${fixable.length} CRITICAL or HIGH vulnerabilities have fixes: ${some.join(', ')}`,
  };
}
