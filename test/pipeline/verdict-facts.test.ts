import { maxSeverity, topFindingsOf, verdictHeadline } from '../../shared/pipeline/verdict-facts';
import { evaluatedPlatform, failingPlatform } from '../support/pipeline-scans';

describe('verdictHeadline', () => {
  it('says there is nothing severe when there is nothing', () => {
    expect(verdictHeadline([evaluatedPlatform()])).toBe('no critical or high findings');
  });

  it('names one secret as found and more by number', () => {
    expect(verdictHeadline([evaluatedPlatform({ secrets: 1 })])).toBe('secret found');
    expect(verdictHeadline([evaluatedPlatform({ secrets: 3 })])).toBe('3 secrets found');
  });
});

describe('maxSeverity', () => {
  it('is the highest severity found on any platform, or none', () => {
    expect(maxSeverity([evaluatedPlatform()])).toBe('none');
    expect(
      maxSeverity([
        evaluatedPlatform({ counts: { critical: 0, high: 0, medium: 0, low: 2, unknown: 1 } }),
        evaluatedPlatform({ counts: { critical: 0, high: 0, medium: 1, low: 0, unknown: 0 } }),
      ]),
    ).toBe('medium');
  });
});

describe('topFindingsOf', () => {
  it('lists a finding of several platforms once, worst first', () => {
    const top = topFindingsOf([
      failingPlatform(),
      failingPlatform({ platform: 'linux/arm64' }),
      evaluatedPlatform({
        topFindings: [
          { id: 'CVE-2026-9', severity: 'weird', package: 'p', version: '1', fixedVersion: null },
          { id: 'CVE-2026-8', severity: 'LOW', package: 'p', version: '1', fixedVersion: null },
        ],
      }),
    ]);
    expect(top.map((f) => f.id)).toEqual([
      'CVE-2026-0001',
      'CVE-2026-0002',
      'GHSA-abcd-efgh-ijkl',
      'CVE-2026-8',
      'CVE-2026-9',
    ]);
  });
});
