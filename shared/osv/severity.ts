import { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } from 'ae-cvss-calculator';
import type { OsvAffected, OsvRecord, OsvSeverity } from './record';

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** How severe a finding is, and who said so. */
export interface SeverityAssessment {
  readonly severity: Severity;
  /** The CVSS score and vector that decided it, when a vector did. */
  readonly cvss?: { readonly score: number; readonly vector: string };
  /** Where the severity came from: `cvss`, `ghsa`, `debian-urgency`, `ubuntu-priority`, … */
  readonly vendor: string;
  /** The vendor's own word, as written (`MODERATE`, `medium**`, `not yet assigned`). */
  readonly vendorSeverity?: string;
}

/**
 * CVSS base scores, newest version first: a v4 vector outranks a v3 one in the same list.
 * The calculator leaves `base` undefined for a vector missing base metrics.
 */
const CVSS_TYPES: readonly { type: string; score: (vector: string) => number | undefined }[] = [
  { type: 'CVSS_V4', score: (v) => new Cvss4P0(v).calculateScores().base },
  {
    type: 'CVSS_V3',
    score: (v) =>
      (v.startsWith('CVSS:3.0/') ? new Cvss3P0(v) : new Cvss3P1(v)).calculateScores().base,
  },
  { type: 'CVSS_V2', score: (v) => new Cvss2(v).calculateScores().base },
];

/** Vendor words, as the sources write them, to the common scale. */
const VENDOR_WORDS: Readonly<Record<string, Severity>> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  important: 'HIGH',
  moderate: 'MEDIUM',
  medium: 'MEDIUM',
  low: 'LOW',
  negligible: 'LOW',
  unimportant: 'LOW',
};

/**
 * Amazon's ratings (ALAS `<severity>`, lower-case in AL2, capitalised in AL2023), which the
 * ALAS import keeps in each Amazon Linux entry's `database_specific.severity`.
 */
const AMAZON_WORDS: Readonly<Record<string, Severity>> = {
  critical: 'CRITICAL',
  important: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
};

/**
 * The advisory's own severity: CVSS vectors of the affected entry, then of the record (scored
 * here, v4 before v3 before v2), then GitHub's `database_specific.severity`, then a distro's
 * urgency or priority (Debian `urgency`, Ubuntu `Ubuntu` severity type, Amazon's ALAS rating).
 * Undefined when the record says nothing usable; the matcher then looks for another record of
 * the same CVE.
 */
export function advisorySeverity(
  record: OsvRecord,
  entry: OsvAffected,
): SeverityAssessment | undefined {
  return (
    fromCvss(entry.severity) ??
    fromCvss(record.severity) ??
    fromVendor('ghsa', record.databaseSpecific?.severity) ??
    fromVendor(
      'debian-urgency',
      entry.ecosystemSpecific?.urgency ?? entry.databaseSpecific?.urgency,
    ) ??
    fromVendor(
      'ubuntu-priority',
      [...entry.severity, ...record.severity].find((s) => s.type === 'Ubuntu')?.score,
    ) ??
    fromAmazon(entry)
  );
}

/** An Amazon Linux entry's ALAS rating; only Amazon's four words count. */
function fromAmazon(entry: OsvAffected): SeverityAssessment | undefined {
  if (!entry.ecosystem.startsWith('Amazon Linux')) return undefined;
  const word = entry.databaseSpecific?.severity;
  const severity = typeof word === 'string' ? AMAZON_WORDS[word.toLowerCase()] : undefined;
  return severity === undefined
    ? undefined
    : { severity, vendor: 'amazon', vendorSeverity: word as string };
}

/**
 * The first severity a record gives any of its entries (else the record alone): what a finding
 * of the same CVE borrows when its own advisory gives none.
 */
export function recordSeverity(record: OsvRecord): SeverityAssessment | undefined {
  for (const entry of record.affected.length > 0 ? record.affected : [NO_ENTRY]) {
    const assessment = advisorySeverity(record, entry);
    if (assessment !== undefined) return assessment;
  }
  return undefined;
}

const NO_ENTRY: OsvAffected = { ecosystem: '', name: '', severity: [], ranges: [], versions: [] };

export const UNKNOWN_SEVERITY: SeverityAssessment = { severity: 'UNKNOWN', vendor: 'none' };

/** CRITICAL ≥ 9.0, HIGH ≥ 7.0, MEDIUM ≥ 4.0, LOW > 0 (the CVSS v3/v4 qualitative scale). */
export function severityOfScore(score: number): Severity {
  if (score >= 9) return 'CRITICAL';
  if (score >= 7) return 'HIGH';
  if (score >= 4) return 'MEDIUM';
  return score > 0 ? 'LOW' : 'UNKNOWN';
}

/** Negative when `a` is more severe than `b`. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}

function fromCvss(severities: readonly OsvSeverity[]): SeverityAssessment | undefined {
  for (const { type, score } of CVSS_TYPES) {
    for (const s of severities.filter((x) => x.type === type)) {
      const value = scoreOrUndefined(`${type}\0${s.score}`, () => score(s.score));
      if (value !== undefined)
        return {
          severity: severityOfScore(value),
          cvss: { score: value, vector: s.score },
          vendor: 'cvss',
        };
    }
  }
  return undefined;
}

/** Scores by vector: advisories share a few thousand distinct vectors, scored once each. */
const SCORES = new Map<string, number | undefined>();
const MAX_CACHED_SCORES = 50_000;

/** A vector the calculator refuses or cannot score is skipped: the next one decides. */
function scoreOrUndefined(vector: string, score: () => number | undefined): number | undefined {
  if (SCORES.has(vector)) return SCORES.get(vector);
  let value: number | undefined;
  try {
    const scored = score();
    value = typeof scored === 'number' && Number.isFinite(scored) ? scored : undefined;
  } catch {
    value = undefined;
  }
  if (SCORES.size < MAX_CACHED_SCORES) SCORES.set(vector, value);
  return value;
}

function fromVendor(vendor: string, value: unknown): SeverityAssessment | undefined {
  if (typeof value !== 'string') return undefined;
  const word = /[a-z]+/.exec(value.toLowerCase())?.[0];
  const severity = word === undefined ? undefined : VENDOR_WORDS[word];
  return severity === undefined ? undefined : { severity, vendor, vendorSeverity: value };
}
