import type { Command } from 'commander';
import { describeGaps, parseGapPattern, type CoverageGap, type GapAcceptance } from '../coverage';
import type { ScanReport } from '../scan';
import { UsageError } from './errors';

/** `--allow-incomplete` and `--allow-gap`: coverage gaps accepted on purpose, by name. */
export interface CoverageFlags {
  readonly allowIncomplete?: boolean;
  readonly allowGap?: string[];
}

/** How a gap is accepted, for messages. */
export const ACCEPT_HINT =
  'accept a gap on purpose with --allow-gap KIND[:SUBJECT] (or every gap with --allow-incomplete)';

export function addCoverageFlags(command: Command): Command {
  return command
    .option(
      '--allow-incomplete',
      'accept every coverage gap (layers not read or verified, files not parsed, packages without advisory data, …)',
    )
    .option(
      '--allow-gap <gap>',
      'accept the coverage gaps of a kind, or of a kind and subject: no-advisory-source:amzn*, layer-entries (repeatable)',
      (value: string, previous: string[] = []) => [...previous, value],
    );
}

export function acceptanceOf(flags: CoverageFlags): GapAcceptance {
  try {
    return {
      all: flags.allowIncomplete === true,
      patterns: (flags.allowGap ?? []).map((p) => parseGapPattern(p, '--allow-gap')),
    };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * The gaps of `reports` nobody accepted (listed ones, each kind and subject once however many
 * platforms share it), and how many more were not listed.
 */
export function openGaps(reports: readonly ScanReport[]): {
  readonly gaps: CoverageGap[];
  readonly omitted: number;
} {
  const gaps = new Map<string, CoverageGap>();
  let omitted = 0;
  for (const report of reports) {
    const coverage = report.coverage;
    if (coverage === undefined) continue;
    for (const gap of coverage.gaps)
      if (gap.acceptedBy === null) gaps.set(`${gap.kind}\0${gap.subject}`, gap);
    if (coverage.omittedAcceptedBy === null) omitted += coverage.omitted;
  }
  return { gaps: [...gaps.values()], omitted };
}

/** `<first open gap>; and N more; <how to accept>`, or undefined when no gap is open. */
export function openGapsText(reports: readonly ScanReport[]): string | undefined {
  const open = openGaps(reports);
  if (open.gaps.length === 0 && open.omitted === 0) return undefined;
  return `${describeGaps(open.gaps, open.omitted)}; ${ACCEPT_HINT}`;
}

/** `scan incomplete: <first open gap>…`, or undefined when no gap is open. */
export function incompleteMessage(reports: readonly ScanReport[]): string | undefined {
  const text = openGapsText(reports);
  return text && `scan incomplete: ${text}`;
}

/** Whether a gap says the image itself could not be read or verified (an input error). */
export function hasUnreadableLayer(reports: readonly ScanReport[]): boolean {
  return openGaps(reports).gaps.some(
    (g) => g.kind === 'layer-unverified' || g.kind === 'layer-unreadable',
  );
}
