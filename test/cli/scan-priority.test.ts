import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { policyDocument } from '../../shared/policy';
import type { ScanReport } from '../../shared/scan/report';
import { clearance } from '../support/cli';
import { buildImage, writeOciLayout } from '../support/image-builder';
import { scanDocumentSchemaErrors } from '../support/schemas';
import { startServer } from '../support/registry-server';
import { useTempDir } from '../support/temp';

const OSV = join(__dirname, '..', 'fixtures', 'osv', 'valid');
const PRIORITY = join(__dirname, '..', 'fixtures', 'priority');
const KEV = join(PRIORITY, 'known_exploited_vulnerabilities.json');
const EPSS = join(PRIORITY, 'epss_scores-2026-11-22.csv.gz');
const NOW = { SOURCE_DATE_EPOCH: '1795392000' }; // 2026-11-23
const SITE = 'usr/local/lib/python3.11/site-packages';

/** libssl3 (DSA-5532-1, DEBIAN-CVE-2024-2511), semver 7.5.1, requests 2.30.0 (in the KEV fixture). */
const LAYER = {
  files: {
    'etc/os-release': 'ID=debian\nVERSION_ID="12"\n',
    'var/lib/dpkg/status':
      'Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: 3.0.11-1~deb12u1\n',
    'app/node_modules/semver/package.json': JSON.stringify({ name: 'semver', version: '7.5.1' }),
    [`${SITE}/requests-2.30.0.dist-info/METADATA`]:
      'Metadata-Version: 2.1\nName: requests\nVersion: 2.30.0\n',
  },
};

describe('clearance scan, with KEV and EPSS data', () => {
  const dir = useTempDir();
  const db = () => join(dir(), 'db');

  async function image(): Promise<string> {
    const oci = join(dir(), 'image');
    await writeOciLayout(oci, { t: await buildImage({ layers: [LAYER] }) });
    return `oci:${oci}:t`;
  }
  async function scan(sources: string[], ...flags: string[]) {
    const imported = await clearance(['db', 'import', '--db', db(), OSV, ...sources], NOW);
    expect(imported.code).toBe(0);
    const reference = await image();
    return clearance(['scan', '--db', db(), '--allow-gap', 'stale-data', ...flags, reference], NOW);
  }

  describe('when the data holds both', () => {
    it('gives each finding its KEV entry and EPSS score, by CVE alias, null when unlisted', async () => {
      const report = (await scan([KEV, EPSS])).json<ScanReport>();
      const byId = new Map(report.vulnerabilities!.map((f) => [f.id, f]));
      expect(byId.get('PYSEC-2023-74')).toMatchObject({
        kev: { cveID: 'CVE-2023-32681', dateAdded: '2026-11-18', dueDate: '2026-12-09' },
        epss: { score: 0.06232, percentile: 0.90511, date: '2026-11-22' },
      });
      expect(byId.get('DSA-5532-1')).toMatchObject({ kev: null, epss: { score: 0.00434 } });
      expect(scanDocumentSchemaErrors(policyDocument(report))).toEqual([]);
      expect(report.database).toMatchObject({
        kev: { catalogVersion: '2026.11.20', count: 3 },
        epss: { scoreDate: '2026-11-22', modelVersion: 'v2025.03.14', count: 6 },
      });
    });

    it('prints the table in priority order: KEV first, then EPSS, then severity', async () => {
      const result = await scan([KEV, EPSS], '--format', 'table');
      const lines = result.stdout.split('\n');
      expect(lines).toContain(
        'BY PRIORITY (in CISA KEV first, then by EPSS score, then by severity)',
      );
      expect(result.stdout).toMatch(/4 vulnerabilities: .*; 1 in CISA KEV/);
      const header = lines.findIndex((l) => l.trimStart().startsWith('SEVERITY  PACKAGE'));
      expect(lines[header]).toMatch(
        /SEVERITY +PACKAGE +INSTALLED +FIXED +VULNERABILITY +KEV +EPSS +PATH/,
      );
      expect(lines.slice(header + 1, header + 5).map((l) => l.trim().split(/ +/)[4])).toEqual([
        'PYSEC-2023-74',
        'DEBIAN-CVE-2024-2511',
        'DSA-5532-1',
        'GHSA-c2qf-rxjj-qqgw',
      ]);
      expect(lines[header + 1]).toMatch(/ yes 2026-11-18 +6\.2% \(p90\) /);
    });

    it('fails --fail-on-kev with exit 1 and one line naming the KEV vulnerabilities', async () => {
      const result = await scan([KEV, EPSS], '--fail-on-kev');
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        "clearance: --fail-on-kev: 1 unsuppressed vulnerability is in CISA's KEV catalog (PYSEC-2023-74 in requests 2.30.0)\n",
      );
    });

    it('passes --fail-on-kev when the KEV finding is ignored', async () => {
      const ignore = join(dir(), 'ignore.yaml');
      writeFileSync(
        ignore,
        'ignore:\n  - id: CVE-2023-32681\n    reason: no proxies\n    owner: team\n',
      );
      const result = await scan([KEV], '--fail-on-kev', '--ignore-file', ignore);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    });

    it('lets a policy read kev and epss', async () => {
      const policy = join(dir(), 'policy.yaml');
      writeFileSync(
        policy,
        [
          'name: exploited',
          'rules:',
          '  - id: no-kev',
          '    expression: "!vulnerabilities.exists(v, v.suppressedBy == null && v.kev != null)"',
          '  - id: epss-below-5-percent',
          '    action: warn',
          '    expression: "vulnerabilities.all(v, v.epss == null || v.epss.score <= 0.05)"',
          '  - id: ransomware',
          '    expression: "!vulnerabilities.exists(v, v.kev != null && v.kev.knownRansomwareCampaignUse == \'Known\')"',
          '',
        ].join('\n'),
      );
      const result = await scan([KEV, EPSS], '--policy', policy);
      const verdict = result.json<ScanReport>().verdict!;
      expect(verdict.rules.map((r) => [r.id, r.outcome])).toEqual([
        ['no-kev', 'fail'],
        ['epss-below-5-percent', 'fail'],
        ['ransomware', 'pass'],
      ]);
      expect(result.code).toBe(1);
    });
  });

  describe('when the data holds no KEV catalog', () => {
    it('leaves kev out of findings and refuses --fail-on-kev with exit 2', async () => {
      const result = await scan([EPSS], '--fail-on-kev');
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/--fail-on-kev: the vulnerability data holds no KEV catalog/);
      const finding = result.json<ScanReport>().vulnerabilities![0]!;
      expect(finding).not.toHaveProperty('kev');
      expect(finding).toHaveProperty('epss');
    });

    it('keeps the table grouped by severity without either', async () => {
      const result = await scan([], '--format', 'table');
      expect(result.stdout).not.toContain('BY PRIORITY');
      expect(result.stdout).toMatch(/^HIGH \(\d+\)$/m);
    });
  });
});

describe('clearance db, with KEV and EPSS files', () => {
  const dir = useTempDir();

  it('imports both by content, and status shows their versions', async () => {
    const imported = await clearance(['db', 'import', '--db', dir(), KEV, EPSS], NOW);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toBe(
      'KEV catalog 2026.11.20 (released 2026-11-20T18:01:33.0000Z): 3 CVEs\n' +
        'EPSS scores of 2026-11-22 (model v2025.03.14): 6 CVEs\n',
    );
    const status = await clearance(['db', 'status', '--db', dir()], NOW);
    expect(status.stdout).toContain(
      '  KEV      2026.11.20 (released 2026-11-20T18:01:33.0000Z), 3 CVEs\n',
    );
    expect(status.stdout).toContain('  EPSS     2026-11-22 (model v2025.03.14), 6 CVEs\n');
  });

  it('changes the data version when KEV data joins the advisories', async () => {
    await clearance(['db', 'import', '--db', dir(), OSV], NOW);
    const before = (
      await clearance(['db', 'status', '--db', dir(), '--format', 'json'], NOW)
    ).json();
    await clearance(['db', 'import', '--db', dir(), KEV], NOW);
    const after = (
      await clearance(['db', 'status', '--db', dir(), '--format', 'json'], NOW)
    ).json();
    expect(after.contentHash).not.toBe(before.contentHash);
    expect(after.records).toBe(before.records);
    expect(after.kev).toMatchObject({ catalogVersion: '2026.11.20' });
  });

  it('fetches both with db update, from --kev-url and $CLEARANCE_EPSS_URL', async () => {
    const served: string[] = [];
    const server = await startServer((request, response) => {
      served.push(request.url ?? '');
      const file = request.url === '/kev.json' ? KEV : request.url === '/epss.csv.gz' ? EPSS : '';
      if (file === '') return void response.writeHead(404).end();
      response.writeHead(200, { etag: '"1"' }).end(readFileSync(file));
    });
    try {
      const result = await clearance(
        [
          'db',
          'update',
          '--db',
          dir(),
          '--ecosystem',
          'KEV',
          'EPSS',
          '--kev-url',
          `${server.url}/kev.json`,
        ],
        { ...NOW, CLEARANCE_EPSS_URL: `${server.url}/epss.csv.gz` },
      );
      expect(result.code).toBe(0);
      expect(served).toEqual(['/kev.json', '/epss.csv.gz']);
      expect(result.stdout).toContain('downloaded 2 exports (KEV, EPSS); 0 unchanged\n');
      expect(result.stdout).toContain('KEV catalog 2026.11.20');
      expect(result.stdout).toContain('EPSS scores of 2026-11-22');
    } finally {
      await server.stop();
    }
  });

  it('fails on a malformed EPSS file with exit 2, naming the line, and keeps the old scores', async () => {
    await clearance(['db', 'import', '--db', dir(), EPSS], NOW);
    const bad = join(PRIORITY, 'malformed', 'epss-score-above-one.csv');
    const result = await clearance(['db', 'import', '--db', dir(), bad], NOW);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /epss-score-above-one\.csv: not an EPSS score file: line 4: epss/,
    );
    const status = await clearance(['db', 'status', '--db', dir(), '--format', 'json'], NOW);
    expect(status.json().epss).toMatchObject({ count: 6 });
  });
});
