import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  COMPLETE,
  GAP_KINDS,
  MAX_GAPS,
  coverageOf,
  coverageStatus,
  describeGap,
  describeGaps,
  isIncomplete,
  unacceptedGaps,
  type CoverageGap,
} from '../../shared/coverage';

const gap = (kind: CoverageGap['kind'], subject: string, acceptedBy: string | null = null) => ({
  kind,
  subject,
  reason: `why ${subject}`,
  affects: 'what',
  acceptedBy,
});

describe('coverageOf', () => {
  it('is complete only without gaps', () => {
    expect(coverageOf([])).toEqual(COMPLETE);
    expect(coverageOf([gap('stale-data', 'x')]).complete).toBe(false);
  });

  it('orders gaps by kind (layers first), then subject, whatever order they came in', () => {
    const coverage = coverageOf([
      gap('stale-data', 'd'),
      gap('file-unparsed', 'b'),
      gap('layer-unverified', 'z'),
      gap('file-unparsed', 'a'),
    ]);
    expect(coverage.gaps.map((g) => `${g.kind} ${g.subject}`)).toEqual([
      'layer-unverified z',
      'file-unparsed a',
      'file-unparsed b',
      'stale-data d',
    ]);
  });

  it(`lists at most ${MAX_GAPS} gaps and counts the rest, which keep the gate failing`, () => {
    const many = Array.from({ length: MAX_GAPS + 5 }, (_, i) =>
      gap('file-unparsed', `f${String(i).padStart(4, '0')}`, 'someone'),
    );
    const coverage = coverageOf(many);
    expect(coverage.gaps).toHaveLength(MAX_GAPS);
    expect(coverage.omitted).toBe(5);
    expect(unacceptedGaps(coverage)).toEqual([]);
    expect(isIncomplete(coverage)).toBe(true);
    expect(isIncomplete({ ...coverage, omittedAcceptedBy: '--allow-incomplete' })).toBe(false);
  });
});

describe('coverageStatus', () => {
  it.each([
    [[], 'complete'],
    [[gap('stale-data', 'x')], 'incomplete'],
    [[gap('stale-data', 'x', '--allow-incomplete')], 'accepted'],
    [[gap('stale-data', 'x', '--allow-incomplete'), gap('file-unparsed', 'y')], 'incomplete'],
  ] as const)('of %j is %s', (gaps, status) => {
    expect(coverageStatus(coverageOf(gaps))).toBe(status);
  });
});

describe('describeGap', () => {
  it('says the reason, then the name the gap is accepted by', () => {
    expect(describeGap(gap('no-advisory-source', 'amzn 2023'))).toBe(
      'why amzn 2023 [no-advisory-source:amzn 2023]',
    );
    expect(describeGap(gap('no-vulnerability-data', 'vulnerability data'))).toBe(
      'why vulnerability data [no-vulnerability-data]',
    );
  });

  it('counts the rest in one line', () => {
    expect(describeGaps([gap('stale-data', 'a'), gap('file-unparsed', 'b')], 3)).toBe(
      'why a [stale-data:a]; and 4 more',
    );
  });
});

describe('GAP_KINDS', () => {
  it('are the kinds the scan document schema allows', () => {
    const schema = JSON.parse(
      readFileSync(join(__dirname, '../../shared/policy/scan-document.schema.json'), 'utf8'),
    ) as { $defs: { gap: { properties: { kind: { enum: string[] } } } } };
    expect(schema.$defs.gap.properties.kind.enum).toEqual([...GAP_KINDS]);
  });
});
