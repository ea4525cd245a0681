import {
  acceptByFlags,
  coverageOf,
  matchesGap,
  parseGapPattern,
  CoverageError,
  type CoverageGap,
} from '../../shared/coverage';

const gap = (kind: CoverageGap['kind'], subject: string, acceptedBy: string | null = null) => ({
  kind,
  subject,
  reason: 'r',
  affects: 'a',
  acceptedBy,
});

describe('parseGapPattern', () => {
  it.each([
    ['stale-data', gap('stale-data', '2026-11-01T00:00:00Z'), true],
    ['no-advisory-source:amzn 2023', gap('no-advisory-source', 'amzn 2023'), true],
    ['no-advisory-source:amzn*', gap('no-advisory-source', 'amzn 2'), true],
    ['no-advisory-source:amzn*', gap('no-advisory-source', 'Debian:12'), false],
    ['no-advisory-source:Debian:1*', gap('no-advisory-source', 'Debian:12'), true],
    ['layer-entries:sha256:ab*', gap('layer-entries', 'sha256:abcd'), true],
    ['layer-entries:sha256:ab', gap('layer-entries', 'sha256:abcd'), false],
    ['file-unparsed:a.b', gap('file-unparsed', 'aXb'), false],
    ['stale-data', gap('file-unparsed', 'x'), false],
  ] as const)('%s matching %j is %s', (text, target, expected) => {
    expect(matchesGap(parseGapPattern(text, 'test'), target)).toBe(expected);
  });

  it('fails when the kind is not one there is, naming the kinds', () => {
    expect(() => parseGapPattern('layers', '--allow-gap')).toThrow(CoverageError);
    expect(() => parseGapPattern('layers', '--allow-gap')).toThrow(
      /--allow-gap: "layers" names no kind of coverage gap; expected one of layer-unverified, /,
    );
  });
});

describe('acceptByFlags', () => {
  const coverage = coverageOf([
    gap('stale-data', 's'),
    gap('file-unparsed', 'f', 'exception x (o)'),
  ]);

  it('marks every gap with --allow-incomplete, keeping who accepted one first', () => {
    expect(
      acceptByFlags(coverage, { all: true, patterns: [] }).gaps.map((g) => g.acceptedBy),
    ).toEqual(['exception x (o)', '--allow-incomplete']);
  });

  it('marks the gaps a pattern names with that pattern', () => {
    const accepted = acceptByFlags(coverage, {
      all: false,
      patterns: [parseGapPattern('stale-data', 't')],
    });
    expect(accepted.gaps.find((g) => g.kind === 'stale-data')!.acceptedBy).toBe(
      '--allow-gap stale-data',
    );
  });

  it('names the stack setting when the acceptance comes from it', () => {
    const accepted = acceptByFlags(coverage, {
      all: false,
      patterns: [parseGapPattern('stale-data', 't')],
      origin: 'settings',
    });
    expect(accepted.gaps.find((g) => g.kind === 'stale-data')!.acceptedBy).toBe(
      'acceptGaps stale-data',
    );
  });

  it('accepts omitted gaps only with everything', () => {
    const omitted = { ...coverageOf([]), complete: false, omitted: 3 };
    expect(
      acceptByFlags(omitted, { all: false, patterns: [parseGapPattern('stale-data', 't')] }),
    ).toMatchObject({ omittedAcceptedBy: null });
    expect(acceptByFlags(omitted, { all: true, patterns: [] })).toMatchObject({
      omittedAcceptedBy: '--allow-incomplete',
    });
  });
});
