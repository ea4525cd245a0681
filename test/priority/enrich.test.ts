import { prioritize, withPriority } from '../../shared/priority';
import type { KevEntry, PriorityLookup } from '../../shared/priority';

const KEV = {
  cveID: 'CVE-2023-32681',
  dateAdded: '2026-11-18',
  dueDate: '2026-12-09',
  knownRansomwareCampaignUse: 'Unknown',
};
const SCORE = { score: 0.06232, percentile: 0.90511, date: '2026-11-22' };
const findings: { id: string; aliases: string[]; kev?: KevEntry | null }[] = [
  { id: 'PYSEC-2023-74', aliases: ['GHSA-j8r2-6x86-q33q', 'CVE-2023-32681'] },
  { id: 'CVE-2023-5363', aliases: [] },
  { id: 'GO-9999-0001', aliases: [] },
];

describe('withPriority', () => {
  describe('when the lookup has KEV and EPSS data', () => {
    const lookup: PriorityLookup = {
      kev: new Map([['CVE-2023-32681', KEV]]),
      epss: new Map([['CVE-2023-32681', SCORE]]),
    };

    it('sets kev and epss by a CVE alias, and null where nothing is listed', () => {
      expect(withPriority(findings, lookup)).toEqual([
        { ...findings[0], kev: KEV, epss: SCORE },
        { ...findings[1], kev: null, epss: null },
        { ...findings[2], kev: null, epss: null },
      ]);
    });
  });

  describe('when the lookup has EPSS data only', () => {
    it('leaves kev absent, so that "not listed" and "not known" stay apart', () => {
      const [first] = withPriority(findings, { kev: null, epss: new Map() });
      expect(first).toEqual({ ...findings[0], epss: null });
      expect(first).not.toHaveProperty('kev');
    });
  });
});

describe('prioritize', () => {
  it('asks the store once, for the distinct CVEs in order', async () => {
    const asked: (readonly string[])[] = [];
    const store = {
      priorityFor: (cves: readonly string[]) => {
        asked.push(cves);
        return Promise.resolve({ kev: new Map([['CVE-2023-32681', KEV]]), epss: null });
      },
    };
    const result = await prioritize([...findings, findings[0]!], store);
    expect(asked).toEqual([['CVE-2023-32681', 'CVE-2023-5363']]);
    expect(result.map((f) => f.kev?.cveID ?? null)).toEqual([
      'CVE-2023-32681',
      null,
      null,
      'CVE-2023-32681',
    ]);
  });

  it('leaves findings as they are with a store that holds no priority data', async () => {
    expect(await prioritize(findings, {})).toEqual(findings);
  });
});
