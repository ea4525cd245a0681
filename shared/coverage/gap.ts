/**
 * What a scan could not check (DESIGN.md, "Fail closed"). A verdict passes only what was
 * checked: each gap fails the gate until someone accepts it by name (`--allow-gap`,
 * `--allow-incomplete`, a policy exception), and an accepted gap stays in the report.
 */
export const GAP_KINDS = [
  /** A layer's blob digest, size or diff_id did not verify: its content is not the image's. */
  'layer-unverified',
  /** A layer could not be read to its end: corrupt compression or tar, a limit, an unknown type. */
  'layer-unreadable',
  /** Entries of a layer that were not read: paths out of the image root, links to nothing. */
  'layer-entries',
  /** A package database or manifest an analyser could not parse (wholly or in part). */
  'file-unparsed',
  /** Java archives whose Maven group nothing names reliably: no advisory is matched to them. */
  'identity-unknown',
  /** The scan had no vulnerability data at all. */
  'no-vulnerability-data',
  /** Packages of an OS or ecosystem for which the data holds no advisories. */
  'no-advisory-source',
  /** Packages whose version its scheme cannot read, or advisories that could not be evaluated. */
  'version-unparsed',
  /** The vulnerability data is older than the maximum age. */
  'stale-data',
  /** Signature keys were configured but the signatures were not verified. */
  'signature-not-checked',
  /** The report says nothing of its coverage (written by an older version). */
  'coverage-unknown',
  /** A deployment document (`clearance posture`) not read: not parsed, invalid, or of a kind not known. */
  'document-unread',
] as const;

export type GapKind = (typeof GAP_KINDS)[number];

/** The kinds the image alone decides (Assemble); the rest are decided when matching and judging. */
export const IMAGE_GAP_KINDS: ReadonlySet<GapKind> = new Set([
  'layer-unverified',
  'layer-unreadable',
  'layer-entries',
  'file-unparsed',
  'identity-unknown',
]);

export interface CoverageGap {
  readonly kind: GapKind;
  /**
   * What the gap is about, and the name it is accepted by: a layer digest, a path, an ecosystem
   * (`Debian:12`, `fedora 40`), a purl, the data version.
   */
  readonly subject: string;
  /** Why it could not be checked. */
  readonly reason: string;
  /** What is therefore unchecked. */
  readonly affects: string;
  /** The layer it is in, when it is in one. */
  readonly layer?: string;
  /** Who accepted it (`--allow-incomplete`, `--allow-gap layer-entries`, `exception legacy (team-x)`); null while it fails the gate. */
  readonly acceptedBy: string | null;
}

/** A report's coverage: `complete` only when nothing went unchecked. */
export interface Coverage {
  readonly complete: boolean;
  readonly gaps: readonly CoverageGap[];
  /** Gaps past `MAX_GAPS`, counted but not listed: only `--allow-incomplete` accepts them. */
  readonly omitted: number;
  /** Who accepted the omitted gaps; null while they fail the gate. */
  readonly omittedAcceptedBy: string | null;
}

/** Listed gaps at most; each kind already groups its subjects (a layer, a file, an ecosystem). */
export const MAX_GAPS = 200;

export const COMPLETE: Coverage = { complete: true, gaps: [], omitted: 0, omittedAcceptedBy: null };

/** A coverage of `gaps`: at most `MAX_GAPS` listed, in a stable order, the rest counted. */
export function coverageOf(gaps: readonly CoverageGap[]): Coverage {
  const sorted = [...gaps].sort(compareGaps);
  return {
    complete: sorted.length === 0,
    gaps: sorted.slice(0, MAX_GAPS),
    omitted: Math.max(0, sorted.length - MAX_GAPS),
    omittedAcceptedBy: null,
  };
}

/** The listed gaps that still fail the gate. */
export function unacceptedGaps(coverage: Coverage): CoverageGap[] {
  return coverage.gaps.filter((g) => g.acceptedBy === null);
}

/** How many unaccepted gaps were omitted from the list. */
export function unacceptedOmitted(coverage: Coverage): number {
  return coverage.omittedAcceptedBy === null ? coverage.omitted : 0;
}

/** Whether the gate must fail on this coverage. */
export function isIncomplete(coverage: Coverage): boolean {
  return unacceptedOmitted(coverage) > 0 || coverage.gaps.some((g) => g.acceptedBy === null);
}

/** `complete`, `accepted` (every gap accepted by someone) or `incomplete`. */
export function coverageStatus(coverage: Coverage): 'complete' | 'accepted' | 'incomplete' {
  if (coverage.complete) return 'complete';
  return isIncomplete(coverage) ? 'incomplete' : 'accepted';
}

/** Kinds with one possible subject, which a message need not repeat. */
const SINGLE_SUBJECT: ReadonlySet<GapKind> = new Set([
  'no-vulnerability-data',
  'signature-not-checked',
  'coverage-unknown',
]);

/** A gap in one phrase: `its reason [kind subject]`, the bracket being the name it is accepted by. */
export function describeGap(gap: CoverageGap): string {
  const name = SINGLE_SUBJECT.has(gap.kind) ? gap.kind : `${gap.kind}:${gap.subject}`;
  return `${gap.reason} [${name}]`;
}

/** The first gap in one phrase, and how many more there are: for one-line messages. */
export function describeGaps(gaps: readonly CoverageGap[], omitted = 0): string {
  const [first] = gaps;
  if (first === undefined) return `${omitted} gaps, not listed`;
  const more = gaps.length - 1 + omitted;
  return `${describeGap(first)}${more > 0 ? `; and ${more} more` : ''}`;
}

const KIND_ORDER = new Map(GAP_KINDS.map((kind, i) => [kind, i]));

function compareGaps(a: CoverageGap, b: CoverageGap): number {
  return (
    KIND_ORDER.get(a.kind)! - KIND_ORDER.get(b.kind)! ||
    (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0)
  );
}
