import { createHash } from 'node:crypto';
import type { Severity } from '../osv';
import type { Prioritized } from '../priority';

/**
 * The parts of SARIF 2.1.0 Clearance writes, and what every kind of result shares: constants
 * (imported by the image and the posture renderings alike) and the shape a kind hands to the
 * run that assembles them (`sarif.ts`).
 */
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** GitHub code scanning reads `security-severity` (a CVSS-like number) to rank results. */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  CRITICAL: '9.5',
  HIGH: '8.0',
  MEDIUM: '5.5',
  LOW: '2.0',
  UNKNOWN: '0.0',
};
export const LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = {
  CRITICAL: 'error',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'note',
  UNKNOWN: 'note',
};

export type Level = 'error' | 'warning' | 'note';

/** A SARIF `reportingDescriptor` (§3.49): one per rule id in the run. */
export interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: { readonly text: string };
  readonly fullDescription: { readonly text: string };
  readonly helpUri?: string;
  readonly help: { readonly text: string; readonly markdown?: string };
  readonly defaultConfiguration?: { readonly level: Level };
  readonly properties: {
    readonly 'security-severity': string;
    readonly tags: readonly string[];
  };
}

/** A SARIF `result` (§3.27) before the run gives it its rule's index. */
export interface SarifResult {
  readonly ruleId: string;
  readonly level: Level;
  readonly message: { readonly text: string };
  readonly locations: readonly object[];
  readonly partialFingerprints: Readonly<Record<string, string>>;
  readonly suppressions?: readonly object[];
  readonly properties?: Readonly<Record<string, unknown>>;
}

/** The kinds of result an image scan gives, as the truncation notice counts them. */
export type ResultKind = 'vulnerability' | 'secret' | 'sensitive-file' | 'check';

/** One result with its rule, and what decides whether it is kept when a run must be capped. */
export interface SarifEntry {
  readonly kind: ResultKind;
  readonly rule: SarifRule;
  readonly result: SarifResult;
  readonly severity: Severity;
  /** What ranks it: a vulnerability's KEV entry and EPSS score; the rule id and severity else. */
  readonly priority: Prioritized;
  /** Suppressed (VEX, ignore file): shown last, and dropped first. */
  readonly suppressed: boolean;
}

/** SARIF `toolExecutionNotifications` entry (§3.58). */
export interface SarifNotification {
  readonly level: Level;
  readonly descriptor: { readonly id: string };
  readonly message: { readonly text: string };
  readonly properties?: Readonly<Record<string, unknown>>;
}

/**
 * Where results that are not a file of the image point: GitHub code scanning needs a
 * non-empty `artifactLocation.uri` on every result, and the same path run after run to keep an
 * alert. A name no repository is likely to hold, so that no real file is annotated; the field
 * itself (`config.Env[2]`, `config.history[4]`) is the result's logical location.
 */
export const IMAGE_CONFIG_URI = 'container-image/config.json';

/** A stable fingerprint of `parts` (sha-256, hex), as `partialFingerprints` carries it. */
export function fingerprint(...parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}
