/**
 * The HTML report in a real browser: Debian's `chromium` (scripts/install-test-tools.sh), headless.
 * The demo image's page, scanned with the example advisories under the default policy, must render
 * (the dumped DOM holds the verdict and the findings), log nothing to the console (a script error,
 * or a request the page's Content-Security-Policy blocked, would be logged there), and name nothing
 * to fetch. Chromium's own background services are kept off the network: every host name resolves
 * to nothing and the proxy is a closed loopback port.
 *
 * `UPDATE_GOLDEN=1` also writes the README's screenshot, docs/images/report.png.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clearance } from '../support/cli';
import { UPDATE_GOLDEN } from '../support/golden';
import { useTempDir } from '../support/temp';
import { fleetHtml } from '../../shared/fleet/fleet-page';
import { fleetSummary } from '../../shared/fleet/summarize';

const ROOT = join(__dirname, '..', '..');
const DEMO = `oci:${join(ROOT, 'examples', 'demo-image')}:latest`;
const EXAMPLES = join(ROOT, 'examples', 'osv');
/** 2026-11-02: the day after the example advisories' `modified`, so the data is fresh. */
const FRESH = { SOURCE_DATE_EPOCH: '1793577600' };
const SCREENSHOT = join(ROOT, 'docs', 'images', 'report.png');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const OFFLINE = [
  '--headless',
  '--disable-gpu',
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--host-resolver-rules=MAP * ~NOTFOUND',
  '--proxy-server=127.0.0.1:9',
  '--enable-logging=stderr',
  '--v=0',
];

describe('the HTML report in headless Chromium', () => {
  const dir = useTempDir();

  beforeAll(() => {
    // A missing browser fails the suite: the page is never taken as rendered untested.
    try {
      // stderr piped: Debian's launcher script complains on some machines (its /dev/shm check),
      // which is not the report's concern and must not reach the test run's output.
      execFileSync('chromium', ['--version'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      throw new Error(
        `chromium is not installed (scripts/install-test-tools.sh installs it): ${String(error)}`,
      );
    }
  });

  async function demoPage(): Promise<string> {
    const db = join(dir(), 'db');
    const priority = writePriorityData(dir());
    expect((await clearance(['db', 'import', '--db', db, EXAMPLES, ...priority], FRESH)).code).toBe(
      0,
    );
    const page = join(dir(), 'report.html');
    const scan = await clearance(
      ['scan', '--db', db, '--policy', 'default', '--format', 'html', '--output', page, DEMO],
      FRESH,
    );
    expect(scan.code).toBe(1); // the default policy fails the demo image: a fixable HIGH
    return page;
  }

  function chromium(...args: string[]): { stdout: string; stderr: string } {
    const run = spawnSync('chromium', [...OFFLINE, ...args], {
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status !== 0) throw new Error(`chromium exited ${run.status}: ${run.stderr}`);
    return { stdout: run.stdout, stderr: run.stderr };
  }

  it('renders the verdict, the findings and the checks, and logs no error', async () => {
    const page = await demoPage();
    const { stdout: dom, stderr } = chromium('--dump-dom', `file://${page}`);
    expect(dom).toContain('<span class="decision">FAIL</span>');
    expect(dom).toContain('no-fixable-critical-high');
    expect(dom).toContain('DEMO-2026-0001');
    expect(dom).toContain('3.0.16-1~deb12u1');
    expect(dom).toContain('latest-tag');
    expect(dom).toContain('<svg class="chart"');
    // The glibc finding is LOW but in KEV: it heads the table, above the HIGH one.
    expect(dom.indexOf('DEMO-2026-0002')).toBeLessThan(dom.indexOf('DEMO-2026-0001'));
    expect(dom).toContain('<span class="kev">KEV</span>');
    expect(stderr).not.toMatch(/Uncaught|CONSOLE|Content Security Policy/);
  }, 90_000);

  it('renders the fleet page with its trend, and logs no error', () => {
    const page = join(dir(), 'index.html');
    const nights = [1, 2, 3].map((day) => fleetNight(`nightly-${day}`, day, day - 1));
    writeFileSync(page, fleetHtml(nights[2]!, { summaries: nights.slice(0, 2), unreadable: 0 }));
    const { stdout: dom, stderr } = chromium('--dump-dom', `file://${page}`);
    expect(dom).toContain('Trend: the last 3 runs');
    expect(dom).toContain('Worst images');
    expect(stderr).not.toMatch(/Uncaught|CONSOLE|Content Security Policy/);
  }, 60_000);

  it('is one file that names nothing to load', async () => {
    const html = readFileSync(await demoPage(), 'utf8');
    expect(html).toContain("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    expect(html).not.toMatch(/<(script|link|iframe|object|embed|img)\b/i);
    expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:\/\//);
  }, 60_000);

  it('takes a screenshot (the README shows it)', async () => {
    const page = await demoPage();
    const png = join(dir(), 'report.png');
    const { stderr } = chromium(
      '--hide-scrollbars',
      '--window-size=1200,1500',
      `--screenshot=${png}`,
      `file://${page}`,
    );
    expect(stderr).not.toMatch(/Uncaught|CONSOLE/);
    expect(readFileSync(png).subarray(0, PNG_SIGNATURE.length)).toEqual(PNG_SIGNATURE);
    expect(statSync(png).size).toBeGreaterThan(20_000); // a blank page compresses to far less
    if (UPDATE_GOLDEN) copyFileSync(png, SCREENSHOT);
  }, 90_000);
});

/**
 * A KEV catalog and an EPSS file in their published formats, naming the demo advisories' CVEs
 * (examples/osv: CVE-2099-0001 libssl3 HIGH, -0002 glibc LOW, -0003 left-pad LOW); their paths.
 */
function writePriorityData(dir: string): string[] {
  const kev = join(dir, 'known_exploited_vulnerabilities.json');
  const epss = join(dir, 'epss_scores-2026-11-01.csv');
  const entry = {
    cveID: 'CVE-2099-0002',
    vendorProject: 'GNU',
    product: 'glibc',
    vulnerabilityName: 'Demo: glibc (example data)',
    dateAdded: '2026-10-20',
    shortDescription: 'Example data for the demo image.',
    requiredAction: 'Apply updates per vendor instructions.',
    dueDate: '2026-11-10',
    knownRansomwareCampaignUse: 'Unknown',
    notes: '',
    cwes: [],
  };
  const catalog = {
    title: 'CISA Catalog of Known Exploited Vulnerabilities',
    catalogVersion: '2026.11.01',
    dateReleased: '2026-11-01T12:00:00.0000Z',
    count: 1,
    vulnerabilities: [entry],
  };
  writeFileSync(kev, JSON.stringify(catalog, null, 4));
  writeFileSync(
    epss,
    [
      '#model_version:v2025.03.14,score_date:2026-11-01T12:55:00Z',
      'cve,epss,percentile',
      'CVE-2099-0001,0.01234,0.61000',
      'CVE-2099-0002,0.41000,0.97000',
      'CVE-2099-0003,0.00050,0.10000',
      '',
    ].join('\n'),
  );
  return [kev, epss];
}

/** A fleet run's summary: `fail` failing images of six, the rest passing. */
function fleetNight(runId: string, day: number, fail: number) {
  const executions = Array.from({ length: 6 }, (_, i) => ({
    status: 'SUCCEEDED',
    input: {},
    output: {
      image: {
        registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
        repository: `team/app-${i}`,
        digest: `sha256:${String(i).repeat(64)}`,
        tag: '1.0',
      },
      rematched: true,
      decision: i < fail ? 'fail' : 'pass',
      previousDecision: 'pass',
      newSevereFindings: i < fail ? ['CVE-2099-0001'] : [],
      counts: { critical: 0, high: i < fail ? 1 : 0, medium: 2, low: 1, unknown: 0 },
      changed: i < fail,
      dataVersion: 'sha256:data',
    },
  }));
  return fleetSummary(
    { runId, manifestKey: `fleet/${runId}/results/manifest.json` },
    { succeeded: executions, failed: [], pending: [] },
    new Date(Date.UTC(2026, 10, day, 4)),
  );
}
