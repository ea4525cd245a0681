import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScanReport } from '../../shared/scan/report';
import { FIXTURES } from '../support/analyzer-fixtures';
import { clearance } from '../support/cli';
import { buildImage, writeOciLayout, type LayerSpec } from '../support/image-builder';
import { sarifSchemaErrors } from '../support/schemas';
import { useTempDir } from '../support/temp';

const OSV = join(__dirname, '..', 'fixtures', 'osv');
const NOW = { SOURCE_DATE_EPOCH: '1795392000' }; // 2026-11-23
const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n';
const SITE = 'usr/local/lib/python3.11/site-packages';
const DIST = 'usr/lib/python3/dist-packages';

const dpkg = (entries: [string, string, string][]) =>
  entries
    .map(
      ([name, version, source]) =>
        `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\nSource: ${source}\nVersion: ${version}\n`,
    )
    .join('\n');
const metadata = (name: string, version: string) =>
  `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`;
const binary = (path: string) => ({
  type: 'file' as const,
  content: readFileSync(join(FIXTURES, path)),
  mode: 0o755,
});

/** A Debian image with known-vulnerable OS, npm, PyPI, Go and Maven packages (or fixed ones). */
function debianLayers(fixed: boolean): LayerSpec[] {
  return [
    {
      files: {
        'etc/os-release': DEBIAN,
        'var/lib/dpkg/status': dpkg([
          ['libssl3', fixed ? '3.0.11-1~deb12u2' : '3.0.11-1~deb12u1', 'openssl'],
          ['python3-requests', '2.30.0-1', 'requests'],
        ]),
        'var/lib/dpkg/info/python3-requests.list': `/${DIST}/requests-2.30.0.dist-info/METADATA\n`,
        [`${DIST}/requests-2.30.0.dist-info/METADATA`]: metadata('requests', '2.30.0'),
      },
    },
    {
      files: {
        'app/node_modules/semver/package.json': JSON.stringify({
          name: 'semver',
          version: fixed ? '7.5.2' : '7.5.1',
        }),
        [`${SITE}/requests-${fixed ? '2.31.0' : '2.30.0'}.dist-info/METADATA`]: metadata(
          'requests',
          fixed ? '2.31.0' : '2.30.0',
        ),
        // The fixed image has neither the Go binary (its example.com/lib is v1.2.3) nor the jar.
        ...(!fixed && {
          'usr/local/bin/app': binary('go/modules/usr/local/bin/app'),
          'usr/share/java/commons-lang3-3.12.0.jar': {
            type: 'file' as const,
            content: readFileSync(
              join(FIXTURES, 'java/single/usr/share/java/commons-lang3-3.12.0.jar'),
            ),
          },
        }),
      },
    },
  ];
}

describe('clearance scan, with vulnerability data', () => {
  const dir = useTempDir();
  const db = () => join(dir(), 'db');

  async function image(layers: LayerSpec[]): Promise<string> {
    const oci = join(dir(), `image-${Math.random().toString(36).slice(2)}`);
    await writeOciLayout(oci, { t: await buildImage({ layers }) });
    return `oci:${oci}:t`;
  }
  /** The fixture advisories are dated 2024–2025, stale on NOW: that gap is accepted by name. */
  async function scan(reference: string, ...flags: string[]) {
    await clearance(['db', 'import', '--db', db(), join(OSV, 'valid'), join(OSV, 'e2e')], NOW);
    return clearance(['scan', '--db', db(), '--allow-gap', 'stale-data', ...flags, reference], NOW);
  }
  const ids = (report: ScanReport) =>
    report.vulnerabilities!.map((f) => [f.package, f.id, f.fixedVersion]);

  describe('when the image has known-vulnerable packages', () => {
    it('reports exactly the expected findings, and not the apt-owned Python package', async () => {
      const result = await scan(await image(debianLayers(false)), '--format', 'json');
      expect(result.code).toBe(0);
      const report = result.json<ScanReport>();
      expect(ids(report)).toEqual([
        ['semver', 'GHSA-c2qf-rxjj-qqgw', '7.5.2'],
        ['org.apache.commons:commons-lang3', 'GHSA-j288-q9x7-2f5v', '3.18.0'],
        ['example.com/lib', 'GO-9999-0001', '1.2.4'],
        ['libssl3', 'DEBIAN-CVE-2024-2511', null],
        ['libssl3', 'DSA-5532-1', '3.0.11-1~deb12u2'],
        ['requests', 'PYSEC-2023-74', '2.31.0'],
      ]);
      expect(report.vulnerabilities!.find((f) => f.id === 'PYSEC-2023-74')!.path).toBe(
        `${SITE}/requests-2.30.0.dist-info/METADATA`,
      );
      expect(report.database).toEqual({
        version: expect.stringMatching(/^sha256:/),
        updatedAt: '2026-11-23T00:00:00.000Z',
        newestModified: '2025-07-14T00:00:00Z',
      });
    });

    it('matches the apt-owned package upstream too with --detection comprehensive', async () => {
      const result = await scan(await image(debianLayers(false)), '--detection', 'comprehensive');
      const requests = result
        .json<ScanReport>()
        .vulnerabilities!.filter((f) => f.package === 'requests');
      expect(requests.map((f) => f.path)).toEqual([
        `${DIST}/requests-2.30.0.dist-info/METADATA`,
        `${SITE}/requests-2.30.0.dist-info/METADATA`,
      ]);
    });
  });

  describe('when the same packages are at their fixed versions', () => {
    it('reports only what has no fix anywhere', async () => {
      const report = (await scan(await image(debianLayers(true)))).json<ScanReport>();
      expect(ids(report)).toEqual([['libssl3', 'DEBIAN-CVE-2024-2511', null]]);
    });
  });

  describe('when the image is Alpine', () => {
    it('matches apk packages by origin against the release of the image', async () => {
      const reference = await image([
        {
          files: {
            'etc/os-release': 'ID=alpine\nVERSION_ID=3.20.3\n',
            'lib/apk/db/installed': 'P:libcrypto3\nV:3.1.4-r4\nA:x86_64\no:openssl\n\n',
          },
        },
      ]);
      const report = (await scan(reference)).json<ScanReport>();
      expect(ids(report)).toEqual([['libcrypto3', 'ALPINE-CVE-2024-0727', '3.1.4-r5']]);
      expect(report.vulnerabilities![0]!.source).toBe('OSV:Alpine:v3.20');
    });
  });

  describe('gates and filters', () => {
    it('exits 1 with --fail-on when an unsuppressed finding at or above it remains', async () => {
      const reference = await image(debianLayers(false));
      expect((await scan(reference, '--fail-on', 'high')).code).toBe(1);
      expect((await scan(reference, '--fail-on', 'critical')).code).toBe(0);
    });

    it('says which gate failed and the findings that failed it, in one line', async () => {
      const result = await scan(await image(debianLayers(false)), '--fail-on', 'high');
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        'clearance: --fail-on high: 1 unsuppressed finding at or above HIGH (GHSA-c2qf-rxjj-qqgw HIGH in semver 7.5.1)\n',
      );
    });

    it('filters with --severity and --ignore-unfixed', async () => {
      const reference = await image(debianLayers(false));
      const high = (await scan(reference, '--severity', 'HIGH')).json<ScanReport>();
      expect(ids(high)).toEqual([['semver', 'GHSA-c2qf-rxjj-qqgw', '7.5.2']]);
      const fixable = (await scan(reference, '--ignore-unfixed')).json<ScanReport>();
      expect(fixable.vulnerabilities!.every((f) => f.fixedVersion !== null)).toBe(true);
    });

    it('keeps suppressed findings in the report, marked, and out of the gate', async () => {
      const vex = join(dir(), 'semver.vex.json');
      writeFileSync(
        vex,
        JSON.stringify({
          '@context': 'https://openvex.dev/ns/v0.2.0',
          '@id': 'https://example.com/vex/1',
          author: 'web team',
          timestamp: '2026-11-01T00:00:00Z',
          version: 1,
          statements: [
            {
              vulnerability: { name: 'CVE-2022-25883' },
              products: [{ '@id': 'pkg:npm/semver' }],
              status: 'not_affected',
              justification: 'vulnerable_code_not_in_execute_path',
            },
          ],
        }),
      );
      // --vex repeats, and the image may follow it directly.
      const result = await scan(
        await image(debianLayers(false)),
        '--fail-on',
        'high',
        '--vex',
        vex,
        '--vex',
        vex,
      );
      expect(result.code).toBe(0);
      const semver = result
        .json<ScanReport>()
        .vulnerabilities!.find((f) => f.package === 'semver')!;
      expect(semver.suppressedBy).toEqual({
        kind: 'vex',
        reason: `not_affected: vulnerable_code_not_in_execute_path (${vex})`,
      });
    });

    it('fails a gate it cannot evaluate: no data with --fail-on exits 2', async () => {
      const result = await clearance(
        [
          'scan',
          '--db',
          join(dir(), 'none'),
          '--fail-on',
          'high',
          await image(debianLayers(false)),
        ],
        NOW,
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/no vulnerability data/);
    });
  });

  describe('--format sarif', () => {
    it('writes SARIF 2.1.0 valid against the official schema, one rule per vulnerability', async () => {
      const result = await scan(await image(debianLayers(false)), '--format', 'sarif');
      const sarif = result.json<{
        runs: {
          tool: { driver: { rules: { id: string }[] } };
          results: {
            ruleId: string;
            locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
          }[];
        }[];
      }>();
      expect(sarifSchemaErrors(sarif)).toEqual([]);
      const run = sarif.runs[0]!;
      // Image checks and secrets have namespaced rules (`check/…`); advisories keep their ids.
      expect(run.tool.driver.rules.filter((r) => !r.id.includes('/'))).toHaveLength(6);
      expect(
        run.results.find((r) => r.ruleId === 'DSA-5532-1')!.locations[0]!.physicalLocation
          .artifactLocation.uri,
      ).toBe('var/lib/dpkg/status');
    });
  });

  describe('on a terminal', () => {
    it('prints a table grouped by severity', async () => {
      await clearance(['db', 'import', '--db', db(), join(OSV, 'valid'), join(OSV, 'e2e')], NOW);
      const result = await clearance(
        ['scan', '--db', db(), await image(debianLayers(false))],
        {
          ...NOW,
        },
        { isTTY: true },
      );
      expect(result.stdout).toMatch(
        /6 vulnerabilities: 0 CRITICAL, 1 HIGH, 1 MEDIUM, 0 LOW, 4 UNKNOWN/,
      );
      expect(result.stdout).toMatch(
        /\nHIGH \(1\)\n {2}PACKAGE +INSTALLED +FIXED +VULNERABILITY +PATH\n {2}semver +7\.5\.1 +7\.5\.2 +GHSA-c2qf-rxjj-qqgw/,
      );
    });
  });
});
