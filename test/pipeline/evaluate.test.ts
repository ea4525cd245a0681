import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { evaluatePlatform, evaluatedOf, TOP_FINDINGS } from '../../shared/pipeline/evaluate';
import { localImageTarget } from '../../shared/local/image-opener';
import { matchPlatform } from '../../shared/pipeline/match';
import { reportHtmlKey } from '../../shared/pipeline/scan-keys';
import { scanHtml } from '../../shared/output/html-report';
import { EvaluatedPlatform, type ImageTarget } from '../../shared/pipeline/states';
import type { Finding } from '../../shared/match/finding';
import { scanImage, type ScanOptions, type ScanReport } from '../../shared/scan';
import { DEFAULT_POLICY, parsePolicy } from '../../shared/policy';
import { keyFromPem } from '../../shared/signatures';
import { pushCosignSignature } from '../support/cosign';
import { buildImage, writeOciLayout } from '../support/image-builder';
import { pushImage } from '../support/push';
import { startRegistry, type RunningServer } from '../support/registry-server';
import {
  DEMO_IMAGE,
  TODAY,
  assembleSteps,
  runScanSteps,
  stepWorld,
  storedJson,
  type StepWorld,
} from '../support/scan-steps';
import { useTempDir } from '../support/temp';

/** Built at run time, so that no token-shaped string is committed. */
const TOKEN = ['ghp', '_', 'Zx9Wv8Ut7Sr6Qp5On4Ml3Kj2Ih1Gf0EdCbA9'].join('');
const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const KEY = keyFromPem(keys.publicKey.export({ format: 'pem', type: 'spki' }).toString(), 'test');

describe('evaluatePlatform', () => {
  const dir = useTempDir();
  let world: StepWorld;

  beforeEach(async () => {
    world = await stepWorld(dir());
  });
  afterEach(() => world.vulnerabilities.close());

  /** What `clearance scan --policy default` gives for the same image and data. */
  async function cliReports(image: ImageTarget, options: Partial<ScanOptions> = {}) {
    const source = await world.opener.open(image);
    return scanImage(source, {
      today: TODAY,
      secrets: true,
      checks: true,
      policy: world.policy,
      vulnerabilities: { store: world.vulnerabilities },
      coverage: { accept: world.coverage.accept! },
      ...options,
    });
  }

  describe('when the steps scan the demo image (two platforms, attestations)', () => {
    it('leaves, platform by platform, the very report scanImage gives (same engine, same verdict)', async () => {
      const image = await localImageTarget(`oci:${DEMO_IMAGE}:latest`);
      const { platforms } = await runScanSteps(image, world);
      const expected = await cliReports(image);

      expect(platforms.map((p) => p.platform)).toEqual(expected.map((r) => r.image.platform));
      for (const [i, platform] of platforms.entries()) {
        const bytes = (await world.store.get(platform.keys.report))!.toString('utf8');
        expect(JSON.parse(bytes)).toEqual(JSON.parse(JSON.stringify(expected[i])));
        expect(bytes).toBe(`${JSON.stringify(expected[i], null, 2)}\n`);
        expect(platform.decision).toBe(expected[i]!.verdict!.decision);
      }
    });

    it("writes report.html beside each report.json: the CLI's page of the same report", async () => {
      const image = await localImageTarget(`oci:${DEMO_IMAGE}:latest`);
      const { platforms } = await runScanSteps(image, world);
      for (const platform of platforms) {
        const key = reportHtmlKey(platform.keys.report);
        expect(key).toBe(platform.keys.report.replace(/report\.json$/, 'report.html'));
        const report = await storedJson(world.store, platform.keys.report);
        expect((await world.store.get(key))?.toString('utf8')).toBe(scanHtml([report]));
      }
    });

    it('gives the verdict in brief, from the report it wrote', async () => {
      const image = await localImageTarget(`oci:${DEMO_IMAGE}:latest`);
      const [platform] = (await runScanSteps(image, world)).platforms;
      const report = await storedJson(world.store, platform!.keys.report);
      const open = report.vulnerabilities!.filter((f) => f.suppressedBy === null);

      expect(EvaluatedPlatform.parse(platform)).toEqual(platform);
      expect(platform).toMatchObject({
        decision: report.verdict!.decision,
        policy: report.verdict!.policy,
        secrets: report.secrets!.length,
        signature: 'not-checked',
        severeFindings: [
          ...new Set(
            open.filter((f) => ['CRITICAL', 'HIGH'].includes(f.severity)).map((f) => f.id),
          ),
        ].sort(),
        failedChecks: report
          .checks!.filter((c) => c.status === 'fail' || c.status === 'error')
          .map((c) => c.id)
          .sort(),
        // The default policy's `minimal-image` is a warn rule: it warns, it does not fail.
        failedRules: ['no-fixable-critical-high'],
        warnedRules: ['minimal-image'],
      });
      expect(platform!.topFindings.map((f) => f.id)).toEqual(
        open.slice(0, TOP_FINDINGS).map((f) => f.id),
      );
      expect(report).not.toHaveProperty('signature');
    });
  });

  describe('when the image carries a secret and runs as root', () => {
    it('fails it, naming the rules, checks and secrets', async () => {
      await writeOciLayout(join(dir(), 'image'), {
        t: await buildImage({
          layers: [
            {
              files: {
                'etc/os-release': 'ID=debian\nVERSION_ID="12"\n',
                'app/.env': `GITHUB_TOKEN=${TOKEN}\n`,
              },
            },
          ],
        }),
      });
      const image = await localImageTarget(`oci:${join(dir(), 'image')}:t`);
      const [platform] = (await runScanSteps(image, world)).platforms;

      expect(platform).toMatchObject({ decision: 'fail', secrets: 1 });
      expect(platform!.failedRules).toEqual(expect.arrayContaining(['no-root', 'no-secrets']));
      expect(platform!.failedChecks).toContain('user-root');
      expect(JSON.stringify(platform)).not.toContain(TOKEN);
      const [expected] = await cliReports(image);
      expect(await storedJson(world.store, platform!.keys.report)).toEqual(
        JSON.parse(JSON.stringify(expected)),
      );
    });
  });

  describe('when policy exceptions apply', () => {
    it('names the exceptions that excepted rules, and those past their expiry', async () => {
      await writeOciLayout(join(dir(), 'image'), {
        t: await buildImage({ layers: [{ files: { 'app/.env': `GITHUB_TOKEN=${TOKEN}\n` } }] }),
      });
      const image = await localImageTarget(`oci:${join(dir(), 'image')}:t`);
      const policy = parsePolicy(
        `${DEFAULT_POLICY}exceptions:
  - { id: test-fixtures, rules: [no-secrets, no-root], scope: { repository: "**" }, reason: fixtures, owner: team-qa }
  - { id: lapsed, scope: { repository: "**" }, reason: old, owner: team-qa, expires: 2026-01-31 }
`,
        'excepting',
      );
      const [platform] = (await runScanSteps(image, { ...world, policy })).platforms;

      expect(platform!.failedRules).not.toContain('no-secrets');
      expect(platform!.exceptionsUsed).toEqual([
        {
          id: 'test-fixtures',
          rules: ['no-secrets', 'no-root'],
          note: 'test-fixtures: fixtures (team-qa)',
        },
      ]);
      expect(platform!.expiredExceptions).toEqual([{ id: 'lapsed', expires: '2026-01-31' }]);
      expect(EvaluatedPlatform.parse(platform)).toEqual(platform);
    });

    it('leaves both out when no exception applied or expired', async () => {
      const image = await localImageTarget(`oci:${DEMO_IMAGE}:latest`);
      const [platform] = (await runScanSteps(image, world)).platforms;
      expect(platform).not.toHaveProperty('exceptionsUsed');
      expect(platform).not.toHaveProperty('expiredExceptions');
    });
  });

  describe('when keys are given for an image that is not in a registry', () => {
    it('does not check signatures', async () => {
      const image = await localImageTarget(`oci:${DEMO_IMAGE}:latest`);
      const [platform] = (
        await runScanSteps(image, world, { signatures: { keys: [KEY], opener: world.opener } })
      ).platforms;

      expect(platform!.signature).toBe('not-checked');
      expect(await storedJson(world.store, platform!.keys.report)).not.toHaveProperty('signature');
    });
  });

  describe('when Evaluate runs again (a retried state)', () => {
    it('gives the same verdict and report', async () => {
      const image = await localImageTarget(`oci:${DEMO_IMAGE}:latest`);
      const { resolved, assembled } = await assembleSteps(image, world);
      const matched = await matchPlatform(
        { scanId: resolved.scanId, assembled: assembled[0]! },
        world,
      );
      const input = { scanId: resolved.scanId, image, matched };

      const first = await evaluatePlatform(input, world);
      const bytes = await world.store.get(matched.keys.report);
      expect(await evaluatePlatform(input, world)).toEqual(first);
      expect(await world.store.get(matched.keys.report)).toEqual(bytes);
    });
  });

  describe('when the image is in a registry', () => {
    let registry: RunningServer;

    beforeAll(async () => {
      registry = await startRegistry();
    });
    afterAll(() => registry.stop());

    async function pushed(repository: string): Promise<ImageTarget> {
      const built = await buildImage({
        layers: [{ files: { 'etc/os-release': 'ID=debian\nVERSION_ID="12"\n' } }],
        config: { User: 'app' },
      });
      await pushImage(registry.host, repository, 'v1', built);
      return localImageTarget(`${registry.host}/${repository}:v1`);
    }

    it.each([
      ['signed by one of the keys', true, 'verified'],
      ['unsigned', false, 'unsigned'],
    ] as const)('checks the signatures of an image %s', async (_what, signed, status) => {
      const image = await pushed(signed ? 'team/signed' : 'team/unsigned');
      if (signed)
        await pushCosignSignature(registry.host, image.repository, image.digest, keys.privateKey);
      const signatures = { keys: [KEY], opener: world.opener };

      const [platform] = (await runScanSteps(image, world, { signatures })).platforms;
      const [expected] = await cliReports(image, { signatureKeys: [KEY] });

      expect(platform!.signature).toBe(status);
      expect(await storedJson(world.store, platform!.keys.report)).toEqual(
        JSON.parse(JSON.stringify(expected)),
      );
      expect(platform!.failedRules.includes('signed')).toBe(!signed);
    });
  });
});

describe('evaluatedOf', () => {
  const finding = (id: string, severity: Finding['severity'], suppressed = false): Finding => ({
    id,
    aliases: [],
    purl: `pkg:npm/${id}@1.0.0`,
    package: id,
    installedVersion: '1.0.0',
    fixedVersion: severity === 'LOW' ? null : '1.0.1',
    status: 'fixed',
    severity,
    cvss: null,
    severitySource: 'none',
    source: 'OSV:npm',
    summary: null,
    layer: `sha256:${'a'.repeat(64)}`,
    path: 'app/package.json',
    suppressedBy: suppressed ? { kind: 'vex', reason: 'not affected' } : null,
  });
  const matched = {
    platform: 'linux/amd64',
    manifestDigest: `sha256:${'b'.repeat(64)}`,
    keys: { report: 'r', cyclonedx: 'c', spdx: 's' },
    packages: 0,
    dataVersion: 'v',
    counts: { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 },
  };
  const report = (vulnerabilities: Finding[]) =>
    ({
      image: { reference: 'x', digest: matched.manifestDigest, platform: 'linux/amd64' },
      packages: [],
      vulnerabilities,
      verdict: {
        decision: 'pass',
        policy: { name: 'p', digest: 'd' },
        rules: [],
        expiredExceptions: [],
      },
    }) as unknown as ScanReport;

  it(`names at most ${TOP_FINDINGS} unsuppressed findings, most severe first, with their fixes`, () => {
    const findings = [
      ...Array.from({ length: 8 }, (_, i) => finding(`LOW-${i}`, 'LOW')),
      ...Array.from({ length: 4 }, (_, i) => finding(`HIGH-${i}`, 'HIGH')),
      finding('CRIT-SUPPRESSED', 'CRITICAL', true),
      finding('CRIT-1', 'CRITICAL'),
    ];
    const evaluated = evaluatedOf(matched, report(findings));

    expect(evaluated.topFindings).toHaveLength(TOP_FINDINGS);
    expect(evaluated.topFindings.map((f) => f.id).slice(0, 6)).toEqual([
      'CRIT-1',
      'HIGH-0',
      'HIGH-1',
      'HIGH-2',
      'HIGH-3',
      'LOW-0',
    ]);
    expect(evaluated.topFindings[0]).toEqual({
      id: 'CRIT-1',
      severity: 'CRITICAL',
      package: 'CRIT-1',
      version: '1.0.0',
      fixedVersion: '1.0.1',
    });
    expect(evaluated.severeFindings).toEqual(['CRIT-1', 'HIGH-0', 'HIGH-1', 'HIGH-2', 'HIGH-3']);
  });

  it('fails when the report has no verdict', () => {
    const { verdict: _verdict, ...unjudged } = report([]);
    expect(() => evaluatedOf(matched, unjudged)).toThrow('unjudged');
  });
});
