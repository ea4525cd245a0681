import type { MatchProblem } from '../match';
import { dataAgeHours } from '../vulndb';
import { IMAGE_GAP_KINDS, coverageOf, type Coverage, type CoverageGap } from './gap';

/** Vulnerability data older than this fails the gate, as Grype's `max-allowed-built-age` does. */
export const DEFAULT_MAX_DATA_AGE_HOURS = 120;

/** What a scan was meant to check, so that what it did not is a gap. */
export interface CoverageExpectations {
  /** Vulnerabilities are part of the scan: no data, or packages without advisories, are gaps. */
  readonly vulnerabilities: boolean;
  /** @default DEFAULT_MAX_DATA_AGE_HOURS */
  readonly maxDataAgeHours?: number;
  /** Signature keys were configured: a report without a signature result is a gap. */
  readonly signatures: boolean;
  readonly now: Date;
}

/** The parts of a scan report coverage reads (structurally: this concern does not import scan/). */
export interface CoverageInputs {
  /** The coverage Assemble recorded: the image gaps are taken from it. */
  readonly coverage?: Coverage;
  readonly vulnerabilities?: readonly unknown[];
  readonly vulnerabilityProblems?: readonly MatchProblem[];
  readonly database?: { readonly version: string; readonly newestModified: string | null };
  readonly signature?: unknown;
}

/**
 * The report's coverage as of now: the image gaps it carries, then what matching and judging
 * leave unchecked. Acceptances are not carried over: who accepts what is decided afresh.
 */
export function reportCoverage(report: CoverageInputs, expect: CoverageExpectations): Coverage {
  const image = (report.coverage?.gaps ?? [])
    .filter((gap) => IMAGE_GAP_KINDS.has(gap.kind))
    .map((gap) => ({ ...gap, acceptedBy: null }));
  return coverageOf([
    ...image,
    ...(expect.vulnerabilities ? vulnerabilityGaps(report, expect) : []),
    ...(expect.signatures && report.signature === undefined ? [SIGNATURE_GAP] : []),
  ]);
}

function vulnerabilityGaps(report: CoverageInputs, expect: CoverageExpectations): CoverageGap[] {
  const database = report.database;
  if (report.vulnerabilities === undefined || database === undefined) return [NO_DATA_GAP];
  const gaps = problemGaps(report.vulnerabilityProblems ?? []);
  const maxAge = expect.maxDataAgeHours ?? DEFAULT_MAX_DATA_AGE_HOURS;
  const age = dataAgeHours(database, expect.now);
  if (age === null) gaps.push({ ...NO_DATA_GAP, reason: 'the vulnerability data is empty' });
  else if (age > maxAge)
    gaps.push({
      kind: 'stale-data',
      subject: database.newestModified ?? database.version,
      reason: `the newest advisory in the data is ${formatHours(age)} old (${database.newestModified}); the limit is ${formatHours(maxAge)}`,
      affects: 'vulnerabilities published or changed since then',
      acceptedBy: null,
    });
  return gaps;
}

/** One gap per ecosystem without advisories, and one per package that could not be evaluated. */
function problemGaps(problems: readonly MatchProblem[]): CoverageGap[] {
  const gaps = new Map<string, CoverageGap>();
  for (const problem of problems) {
    const subject =
      problem.kind === 'no-advisory-source'
        ? problem.ecosystem
        : (problem.purl ?? problem.ecosystem);
    const key = `${problem.kind}\0${subject}`;
    const kept = gaps.get(key);
    gaps.set(key, {
      kind: problem.kind,
      subject,
      reason: kept === undefined ? problem.reason : kept.reason,
      affects:
        problem.kind === 'no-advisory-source'
          ? `${problem.packages} ${problem.packages === 1 ? 'package' : 'packages'}: no vulnerability was looked for`
          : 'whether this package is affected by the advisories named',
      acceptedBy: null,
    });
  }
  return [...gaps.values()];
}

const NO_DATA_GAP: CoverageGap = {
  kind: 'no-vulnerability-data',
  subject: 'vulnerability data',
  reason: 'the scan had no vulnerability data (clearance db update, or db import)',
  affects: 'every package: no vulnerability was looked for',
  acceptedBy: null,
};

const SIGNATURE_GAP: CoverageGap = {
  kind: 'signature-not-checked',
  subject: 'signature',
  reason: 'signature keys are configured, but the signatures were not verified',
  affects: 'whether the image is signed by a trusted key',
  acceptedBy: null,
};

function formatHours(hours: number): string {
  return hours >= 48 ? `${Math.floor(hours / 24)} days` : `${Math.round(hours)} hours`;
}
