import {
  coverageOf,
  reportCoverage,
  DEFAULT_MAX_DATA_AGE_HOURS,
  type CoverageExpectations,
  type CoverageInputs,
} from '../../shared/coverage';

const NOW = new Date('2026-11-29T12:00:00Z');
const CHECKED: CoverageExpectations = { vulnerabilities: true, signatures: false, now: NOW };
const fresh = { version: 'sha256:v', newestModified: '2026-11-29T06:00:00Z' };
const matched = (changes: Partial<CoverageInputs> = {}): CoverageInputs => ({
  vulnerabilities: [],
  vulnerabilityProblems: [],
  database: fresh,
  ...changes,
});
const kinds = (inputs: CoverageInputs, expect: CoverageExpectations = CHECKED) =>
  reportCoverage(inputs, expect).gaps.map((g) => `${g.kind} ${g.subject}`);

describe('reportCoverage', () => {
  it('is complete for a report matched against fresh data with no problem', () => {
    expect(reportCoverage(matched(), CHECKED).complete).toBe(true);
  });

  it('has a gap when vulnerabilities were expected and the scan had no data', () => {
    expect(kinds({})).toEqual(['no-vulnerability-data vulnerability data']);
    expect(kinds({}, { ...CHECKED, vulnerabilities: false })).toEqual([]);
  });

  it('has a gap when the data is empty', () => {
    const gaps = reportCoverage(
      matched({ database: { version: 'e', newestModified: null } }),
      CHECKED,
    ).gaps;
    expect(gaps).toEqual([
      expect.objectContaining({
        kind: 'no-vulnerability-data',
        reason: 'the vulnerability data is empty',
      }),
    ]);
  });

  it.each([
    [DEFAULT_MAX_DATA_AGE_HOURS - 1, undefined, []],
    [DEFAULT_MAX_DATA_AGE_HOURS + 1, undefined, ['stale-data']],
    [30, 24, ['stale-data']],
    [30, 48, []],
  ])('with data %i hours old and a limit of %s hours: %j', (hours, limit, expected) => {
    const newestModified = new Date(NOW.getTime() - hours * 3_600_000).toISOString();
    const gaps = reportCoverage(matched({ database: { version: 'v', newestModified } }), {
      ...CHECKED,
      ...(limit !== undefined && { maxDataAgeHours: limit }),
    }).gaps;
    expect(gaps.map((g) => g.kind)).toEqual(expected);
  });

  it('says how old stale data is, in days past two', () => {
    const [gap] = reportCoverage(
      matched({ database: { version: 'v', newestModified: '2026-11-01T00:00:00Z' } }),
      CHECKED,
    ).gaps;
    expect(gap).toMatchObject({
      subject: '2026-11-01T00:00:00Z',
      reason:
        'the newest advisory in the data is 28 days old (2026-11-01T00:00:00Z); the limit is 5 days',
    });
  });

  it('makes one gap per ecosystem without advisories, and one per package not evaluated', () => {
    const problems = [
      { kind: 'no-advisory-source', ecosystem: 'amzn 2023', packages: 120, reason: 'os' },
      { kind: 'no-advisory-source', ecosystem: 'Go', packages: 3, reason: 'go' },
      {
        kind: 'version-unparsed',
        ecosystem: 'npm',
        purl: 'pkg:npm/a@x',
        packages: 1,
        reason: 'a1',
      },
      {
        kind: 'version-unparsed',
        ecosystem: 'npm',
        purl: 'pkg:npm/a@x',
        packages: 1,
        reason: 'a2',
      },
    ] as const;
    const gaps = reportCoverage(matched({ vulnerabilityProblems: problems }), CHECKED).gaps;
    expect(gaps.map((g) => [g.kind, g.subject, g.reason, g.affects])).toEqual([
      ['no-advisory-source', 'Go', 'go', '3 packages: no vulnerability was looked for'],
      ['no-advisory-source', 'amzn 2023', 'os', '120 packages: no vulnerability was looked for'],
      [
        'version-unparsed',
        'pkg:npm/a@x',
        'a1',
        'whether this package is affected by the advisories named',
      ],
    ]);
  });

  it('has a gap when keys were configured and no signature was checked', () => {
    expect(kinds(matched(), { ...CHECKED, signatures: true })).toEqual([
      'signature-not-checked signature',
    ]);
    expect(
      kinds(matched({ signature: { status: 'unsigned' } }), { ...CHECKED, signatures: true }),
    ).toEqual([]);
  });

  it("keeps the image's gaps, not who accepted them: acceptance is decided afresh", () => {
    const image = coverageOf([
      {
        kind: 'file-unparsed',
        subject: 'f',
        reason: 'r',
        affects: 'a',
        acceptedBy: '--allow-incomplete',
      },
      { kind: 'stale-data', subject: 'old', reason: 'r', affects: 'a', acceptedBy: null },
    ]);
    const gaps = reportCoverage(matched({ coverage: image }), CHECKED).gaps;
    expect(gaps.map((g) => [g.kind, g.acceptedBy])).toEqual([['file-unparsed', null]]);
  });
});
