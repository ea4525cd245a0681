import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKevCatalog, PriorityError } from '../../shared/priority';

const FIXTURES = join(__dirname, '..', 'fixtures', 'priority');
const read = (name: string) => readFileSync(join(FIXTURES, name));

describe('parseKevCatalog', () => {
  describe('when given CISA catalog', () => {
    it('reads its version and each entry with the fields findings carry', () => {
      const catalog = parseKevCatalog(read('known_exploited_vulnerabilities.json'), 'kev.json');
      expect(catalog.version).toEqual({
        catalogVersion: '2026.11.20',
        dateReleased: '2026-11-20T18:01:33.0000Z',
        count: 3,
      });
      expect(catalog.entries.map((e) => e.cveID)).toEqual([
        'CVE-2021-44228',
        'CVE-2023-4863',
        'CVE-2023-32681',
      ]);
      expect(catalog.entries[0]).toEqual({
        cveID: 'CVE-2021-44228',
        dateAdded: '2021-12-10',
        dueDate: '2021-12-24',
        knownRansomwareCampaignUse: 'Known',
        vulnerabilityName: 'Apache Log4j2 Remote Code Execution Vulnerability',
        requiredAction: expect.stringMatching(/^For all affected software assets/),
      });
    });
  });

  describe('when the catalog is malformed', () => {
    it.each([
      ['kev-bad-due-date.json', /vulnerabilities\[0\]\.dueDate expected a date YYYY-MM-DD/],
      ['kev-truncated.json', /invalid JSON/],
      ['empty.csv', /invalid JSON/],
    ])('fails on %s, naming the field', (name, reason) => {
      const error = (() => {
        try {
          parseKevCatalog(read(join('malformed', name)), name);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(PriorityError);
      expect(error).toMatchObject({ code: 'KEV_MALFORMED', kind: 'input' });
      expect((error as Error).message).toMatch(new RegExp(`^${name}: not a KEV catalog: `));
      expect((error as Error).message).toMatch(reason);
    });

    it('fails on a JSON document of another shape', () => {
      expect(() => parseKevCatalog(Buffer.from('{"vulns": []}'), 'x.json')).toThrow(
        /x\.json: not a KEV catalog: catalogVersion/,
      );
    });
  });
});
