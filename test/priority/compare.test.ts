import { comparePriority, isKev, type Prioritized } from '../../shared/priority';

const KEV = {
  cveID: 'CVE-2021-44228',
  dateAdded: '2021-12-10',
  dueDate: '2021-12-24',
  knownRansomwareCampaignUse: 'Known',
};
const epss = (score: number) => ({ score, percentile: 0.5, date: '2026-11-22' });

describe('comparePriority', () => {
  it('puts KEV first, then EPSS score highest first, then severity, then id', () => {
    const findings: Prioritized[] = [
      { id: 'E', severity: 'CRITICAL' },
      { id: 'D', severity: 'LOW', epss: epss(0.02) },
      { id: 'C', severity: 'LOW', epss: epss(0.5) },
      { id: 'B', severity: 'LOW', kev: KEV, epss: epss(0.01) },
      { id: 'A', severity: 'HIGH', kev: null, epss: null },
      { id: 'F', severity: 'CRITICAL', kev: null },
      { id: 'G', severity: 'MEDIUM', kev: KEV, epss: epss(0.9) },
    ];
    expect([...findings].sort(comparePriority).map((f) => f.id)).toEqual([
      'G',
      'B',
      'C',
      'D',
      'E',
      'F',
      'A',
    ]);
  });

  describe('when neither finding has KEV or EPSS data', () => {
    it('orders by severity, then id', () => {
      const findings: Prioritized[] = [
        { id: 'b', severity: 'UNKNOWN' },
        { id: 'a', severity: 'UNKNOWN' },
        { id: 'c', severity: 'HIGH' },
      ];
      expect([...findings].sort(comparePriority).map((f) => f.id)).toEqual(['c', 'a', 'b']);
    });
  });
});

describe('isKev', () => {
  it.each([
    [KEV, true],
    [null, false],
    [undefined, false],
  ])('says %p is %p', (kev, expected) => {
    expect(isKev(kev === undefined ? {} : { kev })).toBe(expected);
  });
});
