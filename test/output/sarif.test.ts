import { sarifJson } from '../../shared/output/sarif';
import { goScanReport } from '../support/go-report';
import { sarifSchemaErrors } from '../support/schemas';
import { useTempDir } from '../support/temp';

interface Result {
  ruleId: string;
  message: { text: string };
  properties: { confidence?: string; applicability?: { symbols: string } };
}

describe('sarifJson', () => {
  const dir = useTempDir();
  const results = async (paths: string[]) => {
    const log = JSON.parse(sarifJson([await goScanReport(dir(), paths)])) as {
      runs: { results: Result[]; tool: { driver: { rules: { id: string }[] } } }[];
    };
    return { log, results: log.runs[0]!.results };
  };

  describe('when Go findings were judged against their binaries', () => {
    it('is valid SARIF 2.1.0', async () => {
      expect(sarifSchemaErrors((await results(['usr/local/bin/small'])).log)).toEqual([]);
    });

    it('leaves out the findings that cannot apply, rule and result', async () => {
      const { log, results: found } = await results(['usr/local/bin/small']);
      expect(found.map((r) => r.ruleId).sort()).toEqual([
        'GO-2023-1840',
        'GO-2023-1878',
        'GO-2023-2186',
      ]);
      expect(log.runs[0]!.tool.driver.rules.map((r) => r.id)).not.toContain('GO-2023-2185');
    });

    it('gives each its confidence and says why', async () => {
      const { results: found } = await results(['usr/local/bin/small']);
      const of = (id: string) => found.find((r) => r.ruleId === id)!;
      expect(of('GO-2023-1840').properties.confidence).toBe('high');
      expect(of('GO-2023-1840').message.text).toContain(
        'In this binary: runtime is linked, and affected as a whole.',
      );
      expect(of('GO-2023-2186').properties.confidence).toBe('low');
      expect(of('GO-2023-2186').properties.applicability?.symbols).toBe('absent');
    });
  });

  describe('when the image also holds a windows/arm64 binary', () => {
    it('reports the Windows-only advisory for it alone', async () => {
      const { results: found } = await results(['usr/local/bin/small', 'app/small.exe']);
      const windows = found.filter((r) => r.ruleId === 'GO-2023-2185');
      expect(windows).toHaveLength(1);
      expect(windows[0]!.message.text).toContain('path/filepath.Clean');
      expect(windows[0]!.properties.confidence).toBe('high');
    });
  });
});
