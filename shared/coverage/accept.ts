import { CoverageError } from './errors';
import { GAP_KINDS, type Coverage, type CoverageGap, type GapKind } from './gap';

/**
 * How gaps are named to be accepted: a kind (`no-advisory-source`), or a kind and a subject
 * (`no-advisory-source:fedora 40`, `layer-entries:sha256:ab*`); `*` matches any run of
 * characters in the subject.
 */
export interface GapPattern {
  readonly kind: GapKind;
  /** Matches the whole subject; absent: every subject of the kind. */
  readonly subject?: RegExp;
  /** The pattern as written, for reports. */
  readonly text: string;
}

/** Reads `kind[:subject]`; an unknown kind is an error naming the kinds there are. */
export function parseGapPattern(text: string, where: string): GapPattern {
  const colon = text.indexOf(':');
  const kind = (colon < 0 ? text : text.slice(0, colon)).trim();
  if (!(GAP_KINDS as readonly string[]).includes(kind))
    throw new CoverageError(
      'INVALID_GAP_PATTERN',
      `${where}: "${text}" names no kind of coverage gap; expected one of ${GAP_KINDS.join(', ')}, optionally followed by :SUBJECT`,
    );
  const subject = colon < 0 ? '' : text.slice(colon + 1).trim();
  return { kind: kind as GapKind, text, ...(subject !== '' && { subject: globOf(subject) }) };
}

export function matchesGap(pattern: GapPattern, gap: CoverageGap): boolean {
  return pattern.kind === gap.kind && (pattern.subject?.test(gap.subject) ?? true);
}

/**
 * The coverage with each gap that `accepts` names marked as accepted by what it returns; gaps
 * already accepted keep who accepted them first.
 */
export function acceptGaps(
  coverage: Coverage,
  accepts: (gap: CoverageGap) => string | undefined,
): Coverage {
  return {
    ...coverage,
    gaps: coverage.gaps.map((gap) => {
      if (gap.acceptedBy !== null) return gap;
      const by = accepts(gap);
      return by === undefined ? gap : { ...gap, acceptedBy: by };
    }),
  };
}

/**
 * Gaps accepted for every image: on the command line (`--allow-incomplete` for every gap,
 * `--allow-gap PATTERN`), or by the stack's settings (`acceptGaps`).
 */
export interface GapAcceptance {
  readonly all: boolean;
  readonly patterns: readonly GapPattern[];
  /** Where the acceptance comes from, as gaps name who accepted them. @default 'flags' */
  readonly origin?: 'flags' | 'settings';
}

export const ACCEPT_NOTHING: GapAcceptance = { all: false, patterns: [] };

/** Who accepted a gap, as the report says it: the flag, or the setting, that did. */
function acceptedBy(acceptance: GapAcceptance, pattern?: GapPattern): string {
  if (acceptance.origin === 'settings') return `acceptGaps ${pattern?.text ?? '*'}`;
  return pattern === undefined ? '--allow-incomplete' : `--allow-gap ${pattern.text}`;
}

/** The coverage with the gaps `acceptance` names marked as accepted by it. */
export function acceptByFlags(coverage: Coverage, acceptance: GapAcceptance): Coverage {
  if (acceptance.all) {
    const by = acceptedBy(acceptance);
    return {
      ...acceptGaps(coverage, () => by),
      omittedAcceptedBy: coverage.omitted > 0 ? by : coverage.omittedAcceptedBy,
    };
  }
  return acceptGaps(coverage, (gap) => {
    const pattern = acceptance.patterns.find((p) => matchesGap(p, gap));
    return pattern && acceptedBy(acceptance, pattern);
  });
}

function globOf(pattern: string): RegExp {
  const source = pattern
    .split('*')
    .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`);
}
