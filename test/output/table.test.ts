import { scanTable } from '../../shared/output/table';
import { goScanReport } from '../support/go-report';
import { useTempDir } from '../support/temp';

describe('scanTable', () => {
  const dir = useTempDir();

  describe('when Go findings were judged against their binaries', () => {
    it('says which have affected code in the binary and which do not', async () => {
      const table = scanTable([await goScanReport(dir(), ['usr/local/bin/small'])]);
      expect(table).toContain('GO-2023-1840 (affected code in binary)');
      expect(table).toContain('GO-2023-2186 (affected functions not in binary)');
      expect(table).toContain('GO-2023-1878 (affected functions not in binary)');
    });

    it('leaves out those that cannot apply, and counts them apart from suppressed ones', async () => {
      const table = scanTable([await goScanReport(dir(), ['usr/local/bin/small'])]);
      expect(table).not.toContain('GO-2023-2185');
      expect(table).toContain('3 vulnerabilities:');
      expect(table).toContain(
        "1 not applicable to their binaries (another platform, or the Go tools' code)",
      );
      expect(table).not.toContain('suppressed (VEX or ignore file)');
    });
  });
});
