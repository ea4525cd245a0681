/**
 * Amazon Linux images (their os-release and an rpmdb written by Debian's rpm, see
 * test/support/amazon-linux.ts) judged against Amazon's own advisories (ALAS, in the
 * updateinfo.xml shape of test/fixtures/alas): through the CLI with the local store, and
 * through the synthesized ScanImage with the DynamoDB store that the sync job fills from a
 * mirror of Amazon's repositories on 127.0.0.1.
 */
import { join } from 'node:path';
import { DynamoDbVulnerabilityStore } from '../../shared/aws/dynamodb/vulnerability-store';
import { synthesizeTemplate } from '../../lib/synthesize';
import { syncVulnerabilityData } from '../../shared/pipeline/sync';
import { runLocalScan } from '../../shared/local/scan';
import { DEFAULT_POLICY, parsePolicy } from '../../shared/policy';
import type { ScanReport } from '../../shared/scan/report';
import { ALAS_FIXTURES, alasMirror } from '../support/alas-mirror';
import { amazonLinuxImage, type RpmPackage } from '../support/amazon-linux';
import { clearance } from '../support/cli';
import { useDynalite } from '../support/dynalite';
import { writeOciLayout } from '../support/image-builder';
import { startServer } from '../support/registry-server';
import { useTempDir } from '../support/temp';

jest.setTimeout(120_000);

/** A day after the newest advisory of the fixtures (ALAS2023-2024-513, updated 2024-02-02): fresh data. */
const NOW = new Date('2024-02-03T00:00:00Z');
const SOURCE_DATE_EPOCH = String(NOW.getTime() / 1000);

/**
 * What the image has installed, against what the fixtures' advisories fix: two are behind
 * (openssl-libs, a binary of the openssl source rpm; curl-minimal); the others are at or past
 * the fix, have no advisory (glibc), or only a bug-fix update without a CVE (dnf).
 */
const PACKAGES: readonly RpmPackage[] = [
  {
    name: 'openssl-libs',
    epoch: 1,
    version: '3.0.8',
    release: '1.amzn2023.0.10',
    source: 'openssl',
  },
  { name: 'curl-minimal', version: '8.4.0', release: '1.amzn2023.0.1', source: 'curl' },
  { name: 'libcurl-minimal', version: '8.5.0', release: '1.amzn2023.0.2', source: 'curl' },
  { name: 'dnf', version: '4.14.0', release: '1.amzn2023.0.3', arch: 'noarch' },
  { name: 'system-release', version: '2023.3.20240117', release: '0.amzn2023', arch: 'noarch' },
  { name: 'tzdata', version: '2024a', release: '1.amzn2023.0.1', arch: 'noarch' },
  { name: 'glibc', version: '2.34', release: '52.amzn2023.0.8' },
];

/** The findings a correct scan reports, as `package advisory severity`. */
const EXPECTED = ['curl-minimal ALAS2023-2024-512 CRITICAL', 'openssl-libs ALAS2023-2024-470 HIGH'];

const UPDATEINFO = ['al2023-x86_64-updateinfo.xml', 'al2023-aarch64-updateinfo.xml'].map((f) =>
  join(ALAS_FIXTURES, f),
);

const dir = useTempDir();

async function imageLayout(
  release: '2' | '2023' = '2023',
  packages: readonly RpmPackage[] = PACKAGES,
): Promise<string> {
  const layout = join(dir(), `al${release}`);
  await writeOciLayout(layout, { '1.0': await amazonLinuxImage(release, packages) });
  return `oci:${layout}:1.0`;
}

function findingsOf(report: ScanReport): string[] {
  return (report.vulnerabilities ?? []).map((v) => `${v.package} ${v.id} ${v.severity}`).sort();
}

describe('an Amazon Linux 2023 image', () => {
  describe('through the CLI, with ALAS imported into the local store', () => {
    const env = () => ({ SOURCE_DATE_EPOCH, CLEARANCE_DB_DIR: join(dir(), 'db') });

    it('reports exactly the advisories its packages are behind, with Amazon severities', async () => {
      const image = await imageLayout();
      const imported = await clearance(['db', 'import', ...UPDATEINFO], env());
      expect(imported).toMatchObject({ code: 0 });

      const scan = await clearance(['scan', '--format', 'json', '--fail-on', 'high', image], env());
      const report = scan.json<ScanReport>();
      expect(report.os).toMatchObject({ id: 'amzn', versionId: '2023' });
      expect(report.packages?.length).toBe(PACKAGES.length);
      expect(findingsOf(report)).toEqual(EXPECTED);
      expect(report.coverage).toMatchObject({ complete: true, gaps: [] });
      expect(scan.code).toBe(1);
      expect(scan.stderr).toMatch(/^clearance: --fail-on high: .*at or above HIGH \(/);
    });

    it('fails as incomplete, naming Amazon Linux, when the store holds no ALAS', async () => {
      const image = await imageLayout();
      await clearance(['db', 'import', join(__dirname, '..', '..', 'examples', 'osv')], env());

      const scan = await clearance(['scan', '--format', 'json', '--fail-on', 'high', image], env());
      const report = scan.json<ScanReport>();
      expect(report.vulnerabilities).toEqual([]);
      expect(report.coverage?.gaps.map((g) => `${g.kind}:${g.subject}`)).toContain(
        'no-advisory-source:Amazon Linux:2023',
      );
      expect(scan.code).toBe(1);
      expect(scan.stderr).toMatch(/^clearance: scan incomplete: .*Amazon Linux:2023/);
    });
  });

  describe('through the synthesized ScanImage, with ALAS synced into DynamoDB', () => {
    const dynamo = useDynalite();

    it('fails the verdict on the same findings', async () => {
      const mirror = await startServer(alasMirror([]));
      const osv = await startServer((_request, response) => void response.writeHead(404).end());
      try {
        const store = new DynamoDbVulnerabilityStore({
          client: dynamo().client,
          tableName: dynamo().tableName,
        });
        await syncVulnerabilityData({
          target: store,
          clock: () => NOW,
          ecosystems: ['Amazon Linux:2023'],
          downloadDir: join(dir(), 'exports'),
          baseUrl: osv.url,
          alasBaseUrl: mirror.url,
        });

        const lines: string[] = [];
        const result = await runLocalScan({
          reference: await imageLayout(),
          stateDir: join(dir(), 'state'),
          vulnerabilities: store,
          policy: parsePolicy(DEFAULT_POLICY, 'default'),
          template: synthesizeTemplate(),
          out: { write: (chunk: string) => lines.push(chunk) },
          clock: () => NOW,
          actor: 'tester',
          retryIntervalMs: 0,
        });
        expect(result.execution.status).toBe('SUCCEEDED');
        expect(result.decision).toBe('fail');
        const report = await storedReport(join(dir(), 'state'), result.scanId!);
        expect(findingsOf(report)).toEqual(EXPECTED);
        expect(report.coverage).toMatchObject({ complete: true, gaps: [] });
      } finally {
        await Promise.all([mirror.stop(), osv.stop()]);
      }
    });
  });
});

describe('an Amazon Linux 2 image, with the core and kernel-5.10 extras advisories imported', () => {
  /** A day after the newest of the AL2 fixtures (ALAS2KERNEL-5.10-2024-045, updated 2024-02-14). */
  const env = () => ({
    SOURCE_DATE_EPOCH: String(Date.UTC(2024, 1, 15) / 1000),
    CLEARANCE_DB_DIR: join(dir(), 'db'),
  });
  const AL2: readonly RpmPackage[] = [
    { name: 'kernel-headers', version: '4.14.300', release: '220.520.amzn2', source: 'kernel' },
    { name: 'vim-minimal', epoch: 2, version: '9.0.1000', release: '1.amzn2.0.1', source: 'vim' },
    { name: 'git-core', version: '2.40.1', release: '1.amzn2.0.1', source: 'git' },
    { name: 'system-release', version: '2', release: '16.amzn2' },
  ];

  it('judges the core kernel by core advisories only, never by the 5.10 stream of an extras topic', async () => {
    const image = await imageLayout('2', AL2);
    const updateinfo = ['al2-core-updateinfo.xml.gz', 'al2-extras-kernel-5.10-updateinfo.xml'];
    const imported = await clearance(
      ['db', 'import', ...updateinfo.map((f) => join(ALAS_FIXTURES, f))],
      env(),
    );
    expect(imported).toMatchObject({ code: 0 });

    const scan = await clearance(['scan', '--format', 'json', image], env());
    const report = scan.json<ScanReport>();
    expect(report.os).toMatchObject({ id: 'amzn', versionId: '2' });
    expect(findingsOf(report)).toEqual([
      'kernel-headers ALAS2-2024-2447 HIGH',
      'vim-minimal ALAS2-2023-1999 LOW',
    ]);
    expect(report.coverage).toMatchObject({ complete: true, gaps: [] });
    expect(scan.code).toBe(0);
  });
});

/** The platform report ScanImage left in its object directory. */
async function storedReport(stateDir: string, scanId: string): Promise<ScanReport> {
  const { readFile } = await import('node:fs/promises');
  const scans = join(stateDir, 'objects', 'scans', scanId);
  const summary = JSON.parse(await readFile(join(scans, 'summary.json'), 'utf8')) as {
    platforms: { keys: Record<string, string> }[];
  };
  const key = summary.platforms[0]!.keys['report']!;
  return JSON.parse(await readFile(join(stateDir, 'objects', key), 'utf8')) as ScanReport;
}
