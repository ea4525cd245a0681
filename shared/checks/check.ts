import type { ImageConfig } from '../image';
import type { ImageReference } from '../image';
import type { OperatingSystem } from '../inventory';
import type { FileTree } from '../layers';
import type { Severity } from '../osv';
import type { SecretFinding } from '../secrets';
import type { Instruction } from './history';

/** What a check may look at: the image as built, never the registry or the network. */
export interface CheckContext {
  /** The reference the image was scanned by; its tag or digest matters to some checks. */
  readonly reference: ImageReference;
  readonly config: ImageConfig;
  /** The Dockerfile instructions, as the config's history records them. */
  readonly instructions: readonly Instruction[];
  /** The manifest's annotations, then the config's labels (annotations win). */
  readonly annotations: Readonly<Record<string, string>>;
  readonly os: OperatingSystem | null;
  /** The final filesystem. */
  readonly files: FileTree;
  readonly layers: readonly {
    readonly compressedBytes: number;
    readonly uncompressedBytes: number;
  }[];
  /** Secrets found, when the scan searched for them. */
  readonly secrets?: readonly SecretFinding[];
}

export type CheckStatus = 'pass' | 'fail' | 'info' | 'not-applicable' | 'error';

/** What a check decided, and what it saw. */
export interface CheckOutcome {
  readonly status: Exclude<CheckStatus, 'error'>;
  /** What the decision rests on: paths, instructions, values (secrets redacted). */
  readonly evidence: readonly string[];
}

/**
 * One image-configuration check: a pure function of the context (STYLE.md §5), with the text a
 * reader needs and its place in CIS Docker Benchmark v1.6 §4 and Dockle's checkpoints.
 */
export interface ImageCheck {
  /** Stable identifier, in reports and policies. */
  readonly id: string;
  /** Bumped when the same image can get a different outcome. */
  readonly version: number;
  readonly title: string;
  readonly severity: Exclude<Severity, 'UNKNOWN'>;
  readonly rationale: string;
  readonly remediation: string;
  /** CIS Docker Benchmark v1.6 recommendation, where one applies (`4.1`). */
  readonly cis?: string;
  /** Dockle's checkpoint, where it overlaps (`CIS-DI-0001`). */
  readonly dockle?: string;
  /** Reported as `info` rather than `fail`: a policy decides what it means. */
  readonly informational?: boolean;
  evaluate(context: CheckContext): CheckOutcome;
}

/** A check's outcome as a report carries it. */
export interface CheckResult {
  readonly id: string;
  readonly title: string;
  readonly severity: ImageCheck['severity'];
  readonly status: CheckStatus;
  readonly evidence: readonly string[];
  readonly cis: string | null;
  readonly dockle: string | null;
  readonly remediation: string;
}

/** Passes with no evidence, or fails with the items found. */
export function failIfAny(items: readonly string[]): CheckOutcome {
  return items.length === 0
    ? { status: 'pass', evidence: [] }
    : { status: 'fail', evidence: items };
}
