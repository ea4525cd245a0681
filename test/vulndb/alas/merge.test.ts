import type { OsvAffected, OsvRecord } from '../../../shared/osv/record';
import { AlasMerger } from '../../../shared/vulndb/alas';

const entry = (name: string, fixed: string, introduced = '0'): OsvAffected => ({
  ecosystem: 'Amazon Linux:2023',
  name,
  severity: [],
  ranges: [
    {
      type: 'ECOSYSTEM',
      events: [
        { kind: 'introduced', version: introduced },
        { kind: 'fixed', version: fixed },
      ],
    },
  ],
  versions: [],
  databaseSpecific: { repository: 'amazonlinux', severity: 'important' },
});

const record = (fields: Partial<OsvRecord>): OsvRecord => ({
  id: 'ALAS2023-2024-470',
  modified: '2024-01-09T19:55:00Z',
  published: '2024-01-05T20:41:00Z',
  aliases: ['CVE-2023-5678'],
  related: [],
  upstream: [],
  summary: 'x86_64 copy',
  severity: [],
  affected: [entry('openssl', '1:3.0.8-1.amzn2023.0.11')],
  ...fields,
});

describe('AlasMerger', () => {
  describe('when one id is seen in several files', () => {
    it('gives one record with the union of their CVEs and packages', () => {
      const merger = new AlasMerger();
      merger.add(record({}));
      merger.add(
        record({
          aliases: ['CVE-2023-5678', 'CVE-2023-6129'],
          affected: [
            entry('openssl', '1:3.0.8-1.amzn2023.0.11'),
            entry('openssl-perl', '1:3.0.8-1.amzn2023.0.11'),
          ],
        }),
      );
      const [merged] = merger.take();
      expect(merged!.aliases).toEqual(['CVE-2023-5678', 'CVE-2023-6129']);
      expect(merged!.affected.map((a) => a.name)).toEqual(['openssl', 'openssl-perl']);
    });

    it('keeps the highest of different builds of one package, and lists them', () => {
      const merger = new AlasMerger();
      merger.add(record({ affected: [entry('openssl-libs', '1:3.0.8-1.amzn2023.0.12')] }));
      merger.add(record({ affected: [entry('openssl-libs', '1:3.0.8-1.amzn2023.0.11')] }));
      const [merged] = merger.take();
      expect(merged!.affected).toHaveLength(1);
      expect(merged!.affected[0]!.ranges[0]!.events[1]).toEqual({
        kind: 'fixed',
        version: '1:3.0.8-1.amzn2023.0.12',
      });
      expect(merged!.affected[0]!.databaseSpecific).toEqual({
        repository: 'amazonlinux',
        severity: 'important',
        fixed_builds: ['1:3.0.8-1.amzn2023.0.11', '1:3.0.8-1.amzn2023.0.12'],
      });
    });

    it('keeps entries of different streams apart', () => {
      const merger = new AlasMerger();
      merger.add(record({ affected: [entry('kernel', '5.10.210-1.amzn2', '5.10')] }));
      merger.add(record({ affected: [entry('kernel', '4.14.336-1.amzn2')] }));
      expect(merger.take()[0]!.affected).toHaveLength(2);
    });

    it('takes the newest modified with its text, and the oldest published', () => {
      const merger = new AlasMerger();
      merger.add(
        record({
          modified: '2024-02-01T00:00:00Z',
          summary: 'newer',
          published: '2024-01-06T00:00:00Z',
        }),
      );
      merger.add(record({}));
      expect(merger.take()[0]).toMatchObject({
        modified: '2024-02-01T00:00:00Z',
        summary: 'newer',
        published: '2024-01-05T20:41:00Z',
      });
    });
  });

  describe('when ids differ', () => {
    it('gives them in id order, once, and forgets them', () => {
      const merger = new AlasMerger();
      for (const id of ['ALAS2023-2024-9', 'ALAS2-2023-1', 'ALAS2023-2024-9'])
        merger.add(record({ id }));
      expect(merger.size).toBe(2);
      expect(merger.take().map((r) => r.id)).toEqual(['ALAS2-2023-1', 'ALAS2023-2024-9']);
      expect(merger.take()).toEqual([]);
    });
  });
});
