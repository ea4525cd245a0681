import { gzipSync } from 'node:zlib';
import type { Finding } from '../../shared/match';
import type { Severity } from '../../shared/osv';
import { GITHUB_LIMITS, sarifJson } from '../../shared/output/sarif';
import type { ScanReport } from '../../shared/scan';
import { sarifSchemaErrors } from '../support/schemas';

interface Log {
  runs: {
    tool: { driver: { rules: { id: string }[] } };
    invocations: {
      toolExecutionNotifications: {
        level: string;
        descriptor: { id: string };
        message: { text: string };
        properties?: Record<string, unknown>;
      }[];
    }[];
    results: { ruleId: string; level: string; suppressions?: unknown[] }[];
  }[];
}

const SEVERITIES: readonly Severity[] = ['LOW', 'CRITICAL', 'MEDIUM', 'UNKNOWN', 'HIGH'];

/** Finding `i`: a severity in turn, its own advisory, a package of its own. */
function finding(i: number, suppressed = false): Finding {
  const severity = SEVERITIES[i % SEVERITIES.length]!;
  return {
    id: `TEST-${String(i).padStart(6, '0')}`,
    aliases: [],
    purl: `pkg:npm/package-${i}@1.0.0`,
    package: `package-${i}`,
    installedVersion: '1.0.0',
    fixedVersion: '1.0.1',
    status: 'fixed',
    severity,
    cvss: null,
    severitySource: 'none',
    source: 'OSV:npm',
    summary: `Test advisory ${i}`,
    layer: `sha256:${'a'.repeat(64)}`,
    path: `app/node_modules/package-${i}/package.json`,
    suppressedBy: suppressed ? { kind: 'vex', reason: 'not_affected' } : null,
  };
}

function report(findings: readonly Finding[]): ScanReport {
  return {
    schemaVersion: 1,
    image: {
      reference: 'registry.example/app:1.0',
      digest: `sha256:${'b'.repeat(64)}`,
      platform: 'linux/amd64',
      manifestDigest: `sha256:${'b'.repeat(64)}`,
    },
    vulnerabilities: findings,
  } as unknown as ScanReport;
}

const sarif = (findings: readonly Finding[], limits = GITHUB_LIMITS) =>
  JSON.parse(sarifJson([report(findings)], limits)) as Log;

describe('sarifJson, within GitHub code scanning limits', () => {
  describe('when the results are fewer than the limits', () => {
    it('writes them all, most severe first, suppressed ones last, and no notification', () => {
      const log = sarif([finding(11, true), ...Array.from({ length: 10 }, (_, i) => finding(i))]);
      const run = log.runs[0]!;
      expect(sarifSchemaErrors(log)).toEqual([]);
      expect(run.results).toHaveLength(11);
      expect(run.results.slice(0, 2).map((r) => r.level)).toEqual(['error', 'error']);
      expect(run.results.at(-1)!.suppressions).toEqual([
        { kind: 'external', justification: 'vex: not_affected' },
      ]);
      expect(run.invocations[0]!.toolExecutionNotifications).toEqual([]);
    });
  });

  describe('when there are more results than a run may hold', () => {
    const limits = { ...GITHUB_LIMITS, maxResults: 4 };
    const findings = Array.from({ length: 10 }, (_, i) => finding(i));

    it('keeps the most severe, and only their rules', () => {
      const run = sarif(findings, limits).runs[0]!;
      expect(run.results.map((r) => r.ruleId)).toEqual([
        'TEST-000001',
        'TEST-000006',
        'TEST-000004',
        'TEST-000009',
      ]);
      expect(run.tool.driver.rules.map((r) => r.id)).toEqual(run.results.map((r) => r.ruleId));
    });

    it('says what it left out in a notification', () => {
      const log = sarif(findings, limits);
      expect(sarifSchemaErrors(log)).toEqual([]);
      const [notice] = log.runs[0]!.invocations[0]!.toolExecutionNotifications;
      expect(notice).toMatchObject({
        level: 'warning',
        descriptor: { id: 'clearance/sarif/results-omitted' },
        properties: { omitted: 6, byKind: { vulnerability: 6 }, worst: 'MEDIUM' },
      });
      expect(notice!.message.text).toMatch(
        /^6 results left out .*: 6 vulnerabilities; the most severe left out is MEDIUM/,
      );
    });

    it('caps the same report the same way every time', () => {
      expect(sarifJson([report(findings)], limits)).toBe(sarifJson([report(findings)], limits));
    });
  });

  describe('when the compressed log would be too large', () => {
    it('keeps the longest most-severe prefix that fits', () => {
      const findings = Array.from({ length: 200 }, (_, i) => finding(i));
      const whole = gzipSync(sarifJson([report(findings)])).byteLength;
      const limits = { ...GITHUB_LIMITS, maxGzipBytes: Math.floor(whole / 2) };
      const text = sarifJson([report(findings)], limits);
      const log = JSON.parse(text) as Log;
      expect(gzipSync(text).byteLength).toBeLessThanOrEqual(limits.maxGzipBytes);
      expect(log.runs[0]!.results.length).toBeGreaterThan(50);
      expect(log.runs[0]!.results.length).toBeLessThan(200);
      expect(log.runs[0]!.results[0]!.level).toBe('error');
      expect(log.runs[0]!.invocations[0]!.toolExecutionNotifications[0]!.properties).toMatchObject({
        omitted: 200 - log.runs[0]!.results.length,
      });
    });
  });

  describe("at GitHub's own limits", () => {
    it('writes at most 25,000 results, in a file upload-sarif accepts', () => {
      const findings = Array.from({ length: 25_100 }, (_, i) => finding(i));
      const text = sarifJson([report(findings)]);
      const log = JSON.parse(text) as Log;
      expect(log.runs).toHaveLength(1);
      expect(log.runs[0]!.results).toHaveLength(25_000);
      expect(log.runs[0]!.tool.driver.rules.length).toBeLessThanOrEqual(25_000);
      expect(gzipSync(text).byteLength).toBeLessThan(10 * 1024 * 1024);
      expect(log.runs[0]!.invocations[0]!.toolExecutionNotifications[0]!.properties).toMatchObject({
        omitted: 100,
      });
    });
  });
});

describe('sarifJson, ranking what it keeps', () => {
  it('keeps a vulnerability in KEV first, then a CRITICAL secret before a LOW vulnerability with an EPSS score', () => {
    const secret = {
      rule: 'github-pat',
      title: 'GitHub personal access token',
      severity: 'CRITICAL',
      line: 2,
      match: 'GITHUB_TOKEN=ghp_****************',
      layer: `sha256:${'c'.repeat(64)}`,
      path: 'app/.env',
      removedInLayer: null,
    };
    const kev = {
      cveID: 'CVE-2099-0002',
      dateAdded: '2026-10-01',
      dueDate: '2026-10-22',
      knownRansomwareCampaignUse: 'Unknown',
    };
    const scanned = {
      ...report([
        { ...finding(0), epss: { score: 0.5, percentile: 0.9, date: '2026-11-22' } },
        { ...finding(2), kev },
      ]),
      secrets: [secret],
    } as unknown as ScanReport;
    const log = JSON.parse(sarifJson([scanned], { ...GITHUB_LIMITS, maxResults: 2 })) as Log;
    expect(log.runs[0]!.results.map((r) => r.ruleId)).toEqual(['TEST-000002', 'secret/github-pat']);
  });
});

describe('sarifJson, a finding in CISA KEV with an EPSS score', () => {
  it('tags its rule `kev`, says so in the message and carries both as properties', () => {
    const kev = {
      cveID: 'CVE-2099-0001',
      dateAdded: '2026-10-01',
      dueDate: '2026-10-22',
      knownRansomwareCampaignUse: 'Known',
    };
    const epss = { score: 0.97, percentile: 0.999, date: '2026-11-22' };
    const log = JSON.parse(sarifJson([report([{ ...finding(1), kev, epss }])])) as Log & {
      runs: { tool: { driver: { rules: { properties: { tags: string[] } }[] } } }[];
    };
    const run = log.runs[0]!;
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(run.tool.driver.rules[0]!.properties.tags).toContain('kev');
    expect(run.results[0]).toMatchObject({
      message: { text: expect.stringContaining('Known exploited (CISA KEV since 2026-10-01') },
      properties: { kev, epss },
    });
  });
});
