import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScanReport } from '../../shared/scan/report';
import { clearance } from '../support/cli';
import { DEMO_IMAGE, DEMO_OSV } from '../support/scan-steps';
import { useTempDir } from '../support/temp';

jest.setTimeout(60_000);

/** A KEV catalog and EPSS file, in the published formats, for the demo data's made-up CVEs. */
function priorityFiles(dir: string): string[] {
  const kev = join(dir, 'known_exploited_vulnerabilities.json');
  writeFileSync(
    kev,
    JSON.stringify({
      title: 'CISA Catalog of Known Exploited Vulnerabilities',
      catalogVersion: '2026.11.01',
      dateReleased: '2026-11-01T12:00:00.0000Z',
      count: 1,
      vulnerabilities: [
        {
          cveID: 'CVE-2099-0002',
          vendorProject: 'Demo',
          product: 'glibc',
          vulnerabilityName: 'Demo glibc vulnerability (example data)',
          dateAdded: '2026-10-30',
          shortDescription: 'Example data.',
          requiredAction: 'Apply updates per vendor instructions.',
          dueDate: '2026-11-20',
          knownRansomwareCampaignUse: 'Unknown',
          notes: '',
          cwes: [],
        },
      ],
    }),
  );
  const epss = join(dir, 'epss_scores-2026-11-01.csv');
  writeFileSync(
    epss,
    '#model_version:v2025.03.14,score_date:2026-11-01T00:00:00Z\ncve,epss,percentile\nCVE-2099-0001,0.01234,0.61000\n',
  );
  return [kev, epss];
}

describe('clearance pipeline run, with KEV and EPSS files among --osv', () => {
  const dir = useTempDir();

  it('imports them, and Match gives the findings kev and epss', async () => {
    cpSync(DEMO_IMAGE, join(dir(), 'demo-image'), { recursive: true });
    const osv = [DEMO_OSV, ...priorityFiles(dir())].flatMap((path) => ['--osv', path]);
    const result = await clearance([
      'pipeline',
      'run',
      '--state-dir',
      join(dir(), 'state'),
      ...osv,
      `oci:${join(dir(), 'demo-image')}:latest`,
    ]);
    expect(result.stderr).not.toMatch(/malformed/);
    const reports = /report and SBOMs: (.*)\n/.exec(result.stdout)![1]!;
    const file = readdirSync(reports, { recursive: true, encoding: 'utf8' }).find((f) =>
      f.endsWith('report.json'),
    )!;
    const report = JSON.parse(readFileSync(join(reports, file), 'utf8')) as ScanReport;
    const findings = report.vulnerabilities!;
    expect(findings.find((f) => f.aliases.includes('CVE-2099-0002'))).toMatchObject({
      kev: { cveID: 'CVE-2099-0002', dueDate: '2026-11-20' },
      epss: null,
    });
    expect(findings.find((f) => f.aliases.includes('CVE-2099-0001'))).toMatchObject({
      kev: null,
      epss: { score: 0.01234 },
    });
    expect(report.database).toMatchObject({ kev: { catalogVersion: '2026.11.01' } });
  });
});
