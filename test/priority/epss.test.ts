import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readEpss, readEpssFile, type EpssScore } from '../../shared/priority';

const FIXTURES = join(__dirname, '..', 'fixtures', 'priority');

async function readAll(file: string) {
  const rows: [string, EpssScore][] = [];
  const version = await readEpssFile(file, (cve, score) => rows.push([cve, score]));
  return { version, rows };
}

describe('readEpssFile', () => {
  describe.each(['epss_scores-2026-11-22.csv', 'epss_scores-2026-11-22.csv.gz'])(
    'when given FIRST score file %s',
    (name) => {
      it('reads the model version, the score date and every row', async () => {
        const { version, rows } = await readAll(join(FIXTURES, name));
        expect(version).toEqual({ modelVersion: 'v2025.03.14', scoreDate: '2026-11-22', count: 6 });
        expect(rows[0]).toEqual([
          'CVE-2021-44228',
          { score: 0.94358, percentile: 0.99961, date: '2026-11-22' },
        ]);
        expect(rows.map(([cve]) => cve)).toContain('CVE-2024-2511');
      });
    },
  );

  describe('when the file is malformed', () => {
    it.each([
      ['epss-no-comment.csv', /line 1: expected "#model_version:/],
      ['epss-wrong-header.csv', /line 2: expected the header "cve,epss,percentile"/],
      ['epss-score-above-one.csv', /line 4: epss .*(less than or equal to 1|<=1)/i],
      ['epss-missing-column.csv', /line 3: expected 3 columns, got 2/],
      ['empty.csv', /is empty/],
    ])('fails on %s, naming the line', async (name, reason) => {
      const error = await readAll(join(FIXTURES, 'malformed', name)).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'EPSS_MALFORMED', kind: 'input' });
      expect((error as Error).message).toContain('not an EPSS score file');
      expect((error as Error).message).toMatch(reason);
    });

    it('fails on a non-numeric score, naming it', async () => {
      const csv =
        '#model_version:v1,score_date:2026-11-22\ncve,epss,percentile\nCVE-2024-1000,x,0.5\n';
      const error = await readEpss(Readable.from([csv]), 'inline', () => undefined).catch(
        (e: unknown) => e,
      );
      expect((error as Error).message).toMatch(/^inline: not an EPSS score file: line 3: epss /);
    });

    it('fails on a file that does not exist, as input', async () => {
      const error = await readAll(join(FIXTURES, 'nonesuch.csv')).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'PRIORITY_UNREADABLE', kind: 'input' });
    });
  });
});
