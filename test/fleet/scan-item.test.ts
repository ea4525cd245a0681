import { join } from 'node:path';
import { DirectoryObjectStore } from '../../shared/objects';
import type { ImageOpener, StoredVerdict } from '../../shared/pipeline';
import {
  checkFleetImage,
  fleetExecutionName,
  type ScanItemDeps,
} from '../../shared/fleet/scan-item';
import type { RematchedItem } from '../../shared/fleet/schemas';
import type { ImageTarget } from '../../shared/pipeline/states';
import { parsePolicy } from '../../shared/policy';
import { LocalStore } from '../../shared/vulndb/local-store';
import type { EventPublisher } from '../../shared/events';
import { eventSchemaErrors, MemoryEventPublisher } from '../support/events';
import { FakeAuditLog, FakeVerdictStore } from '../support/fleet-ports';
import { osv } from '../support/osv';
import { useTempDir } from '../support/temp';

const NOW = new Date('2026-01-02T03:04:05Z');
const RUN = 'nightly-1';
const STARTED = '2026-01-02T03:00:00.000Z';
const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const hex = (c: string) => c.repeat(64);
const IMAGE: ImageTarget = {
  registry: REGISTRY,
  repository: 'team/web',
  digest: `sha256:${hex('a')}`,
  tag: '1.0',
};
const AMD64 = `sha256:${hex('1')}`;
const ARM64 = `sha256:${hex('2')}`;
const reportKey = (manifest: string) => `scans/s1/${manifest.slice(7)}/report.json`;

const POLICY = parsePolicy(
  `name: fleet-test
rules:
  - id: no-critical
    action: deny
    expression: vulnerabilities.filter(v, v.suppressedBy == null && v.severity == 'CRITICAL').size() == 0
    message: critical vulnerabilities
`,
  'fleet-test.yaml',
);

/** A CRITICAL advisory (CVSS 9.8) for an npm package below `fixed`. */
const critical = (id: string, name: string, fixed: string) =>
  osv({
    id,
    modified: '2026-01-01T00:00:00Z', // a day before NOW: fresh data
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    affected: [
      {
        package: { ecosystem: 'npm', name },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
      },
    ],
  });

/** The report a scan stored: one npm package, matched when the data knew nothing of it, passed. */
function storedReport(manifestDigest: string, platform: string, packages: [string, string][]) {
  return {
    schemaVersion: 1,
    image: {
      reference: `${REGISTRY}/team/web:1.0`,
      digest: IMAGE.digest,
      platform,
      manifestDigest,
    },
    os: null,
    packages: packages.map(([name, version]) => ({
      name,
      version,
      type: 'npm',
      purl: `pkg:npm/${name}@${version}`,
      source: null,
      licenses: [],
      layer: `sha256:${hex('f')}`,
      path: `app/node_modules/${name}/package.json`,
      ownedBy: null,
      dependencies: [],
      supplier: null,
    })),
    problems: [],
    secrets: [],
    sensitiveFiles: [],
    checks: [],
    vulnerabilities: [],
    database: { version: 'sha256:old', updatedAt: null, newestModified: null },
    vulnerabilityProblems: [],
    expiredIgnores: [],
    verdict: {
      decision: 'pass',
      policy: { name: 'fleet-test', digest: POLICY.digest },
      rules: [],
      expiredExceptions: [],
    },
  };
}

function storedVerdict(platforms: [string, string][]): StoredVerdict {
  return {
    digest: IMAGE.digest,
    decision: 'pass',
    scanId: 's1',
    recordedAt: '2025-12-24T00:00:00.000Z',
    severeFindings: [],
    policyDigest: POLICY.digest,
    dataVersion: 'sha256:old',
    analyzerSet: 'analyzers-1',
    platforms: platforms.map(([platform, manifestDigest]) => ({
      platform,
      manifestDigest,
      reportKey: reportKey(manifestDigest),
    })),
  };
}

/** An opener that fails the test if anything tries to read the image. */
const untouchable: ImageOpener = {
  open: () => Promise.reject(new Error('the fleet re-check opened the image')),
};

describe('checkFleetImage', () => {
  const dir = useTempDir();
  let vulnerabilities: LocalStore;
  let verdicts: FakeVerdictStore;
  let audit: FakeAuditLog;
  let deps: ScanItemDeps;

  beforeEach(async () => {
    vulnerabilities = LocalStore.open(join(dir(), 'osv'), { create: true });
    // Data that names none of the images' packages: a store that is not empty.
    await vulnerabilities.transaction(
      (add) => Promise.resolve(add(critical('GHSA-else-0001', 'unrelated', '1.0.0'))),
      NOW,
    );
    verdicts = new FakeVerdictStore();
    audit = new FakeAuditLog();
    const store = new DirectoryObjectStore(join(dir(), 'objects'));
    // Every port a whole pipeline has, the image opener included: CheckImage must not use it.
    const pipeline = {
      store,
      vulnerabilities,
      verdicts,
      audit,
      policy: POLICY,
      clock: () => NOW,
      opener: untouchable,
    };
    deps = pipeline;
  });

  afterEach(() => vulnerabilities.close());

  async function given(platforms: [string, string, [string, string][]][]): Promise<void> {
    for (const [platform, manifest, packages] of platforms)
      await deps.store.put(
        reportKey(manifest),
        Buffer.from(JSON.stringify(storedReport(manifest, platform, packages))),
      );
    const verdict = storedVerdict(platforms.map(([p, m]) => [p, m]));
    verdicts.byDigest.set(IMAGE.digest, verdict);
  }

  async function advisories(...records: ReturnType<typeof critical>[]): Promise<void> {
    await vulnerabilities.transaction(async (add) => {
      for (const record of records) add(record);
      return Promise.resolve();
    }, NOW);
  }

  const check = () => checkFleetImage({ runId: RUN, startedAt: STARTED, image: IMAGE }, deps);

  describe('when a new critical advisory is in CISA’s KEV catalog', () => {
    it('names the finding among the image’s KEV findings, for the digest to list first', async () => {
      await given([['linux/amd64', AMD64, [['left-pad', '1.0.0']]]]);
      await advisories({
        ...critical('GHSA-kev0-0001', 'left-pad', '1.0.1'),
        aliases: ['CVE-2026-0001'],
      });
      await vulnerabilities.replaceKev(
        {
          version: {
            catalogVersion: '2026.12.01',
            dateReleased: '2026-12-01T00:00:00.000Z',
            count: 1,
          },
          entries: [
            {
              cveID: 'CVE-2026-0001',
              dateAdded: '2026-12-01',
              dueDate: '2026-12-22',
              knownRansomwareCampaignUse: 'Unknown',
            },
          ],
        },
        NOW,
      );
      const result = (await check()) as RematchedItem;
      expect(result).toMatchObject({
        newSevereFindings: ['GHSA-kev0-0001'],
        kevFindings: ['GHSA-kev0-0001'],
      });
    });
  });

  describe('when a known digest meets a new critical advisory', () => {
    beforeEach(async () => {
      await given([['linux/amd64', AMD64, [['left-pad', '1.0.0']]]]);
      await advisories(critical('GHSA-crit-0001', 'left-pad', '1.0.1'));
    });

    it('re-matches the stored report and fails the image under the current policy', async () => {
      const result = (await check()) as RematchedItem;
      expect(result).toEqual({
        image: IMAGE,
        rematched: true,
        decision: 'fail',
        previousDecision: 'pass',
        newSevereFindings: ['GHSA-crit-0001'],
        fixedSevereFindings: [],
        counts: { critical: 1, high: 0, medium: 0, low: 0, unknown: 0 },
        changed: true,
        dataVersion: (await vulnerabilities.dataVersion()).contentHash,
      });
    });

    it('records the new verdict under the fleet scan id, keeping the stored reports', async () => {
      await check();
      expect(verdicts.recorded).toHaveLength(1);
      const { image, verdict } = verdicts.recorded[0]!;
      expect(image).toEqual(IMAGE);
      expect(verdict).toEqual({
        ...storedVerdict([['linux/amd64', AMD64]]),
        decision: 'fail',
        scanId: fleetExecutionName(RUN, IMAGE),
        recordedAt: NOW.toISOString(),
        severeFindings: ['GHSA-crit-0001'],
        dataVersion: (await vulnerabilities.dataVersion()).contentHash,
      });
    });

    it('audits the change once, however often the item is retried', async () => {
      await check();
      await check();
      expect(audit.events).toHaveLength(1);
      expect(audit.events[0]).toMatchObject({
        type: 'verdict.changed',
        actor: 'schedule',
        time: NOW.toISOString(),
        image: { repository: 'team/web', digest: IMAGE.digest, tag: '1.0' },
        details: {
          rematched: true,
          from: 'pass',
          to: 'fail',
          previousScanId: 's1',
          newSevereFindings: ['GHSA-crit-0001'],
        },
        versions: { policyDigest: POLICY.digest, analyzerSet: 'analyzers-1' },
      });
    });

    it('leaves the stored report as the scan wrote it', async () => {
      const before = await deps.store.get(reportKey(AMD64));
      await check();
      expect(await deps.store.get(reportKey(AMD64))).toEqual(before);
    });
  });

  describe('when nothing changed since the stored verdict', () => {
    it('answers the same decision and records nothing', async () => {
      await given([['linux/amd64', AMD64, [['left-pad', '1.0.1']]]]);
      await advisories(critical('GHSA-crit-0001', 'left-pad', '1.0.1'));
      expect(await check()).toMatchObject({
        decision: 'pass',
        previousDecision: 'pass',
        changed: false,
        newSevereFindings: [],
      });
      expect(verdicts.recorded).toEqual([]);
      expect(audit.events).toEqual([]);
    });
  });

  describe('when the image has several platforms', () => {
    it('takes the worst platform: its decision and its counts', async () => {
      await given([
        ['linux/amd64', AMD64, [['left-pad', '1.0.0']]],
        [
          'linux/arm64',
          ARM64,
          [
            ['left-pad', '1.0.0'],
            ['is-odd', '0.1.0'],
          ],
        ],
      ]);
      await advisories(
        critical('GHSA-crit-0001', 'left-pad', '1.0.1'),
        critical('GHSA-crit-0002', 'is-odd', '1.0.0'),
      );
      expect(await check()).toMatchObject({
        decision: 'fail',
        newSevereFindings: ['GHSA-crit-0001', 'GHSA-crit-0002'],
        counts: { critical: 2 },
      });
    });
  });

  describe('when the digest was never scanned', () => {
    it('asks for a full scan, with the ScanImage input and a deterministic execution name', async () => {
      const result = await check();
      expect(result).toEqual({
        image: IMAGE,
        needsScan: true,
        reason: 'never scanned',
        executionName: fleetExecutionName(RUN, IMAGE),
        scanInput: {
          image: IMAGE,
          trigger: { type: 'fleet', id: RUN, actor: 'schedule', time: STARTED },
        },
      });
      expect(await check()).toEqual(result);
    });

    it('uses the time of the item when the run gave none', async () => {
      expect(await checkFleetImage({ runId: RUN, image: IMAGE }, deps)).toMatchObject({
        scanInput: { trigger: { time: NOW.toISOString() } },
      });
    });
  });

  describe('when a stored report is gone', () => {
    it('asks for a full scan and says which report is missing', async () => {
      await given([['linux/amd64', AMD64, []]]);
      verdicts.byDigest.set(
        IMAGE.digest,
        storedVerdict([
          ['linux/amd64', AMD64],
          ['linux/arm64', ARM64],
        ]),
      );
      expect(await check()).toMatchObject({
        needsScan: true,
        reason: `the stored report ${reportKey(ARM64)} is gone`,
      });
      expect(verdicts.recorded).toEqual([]);
    });
  });

  it('fails when the vulnerability data cannot be read, recording nothing', async () => {
    await given([['linux/amd64', AMD64, [['left-pad', '1.0.0']]]]);
    const failing = {
      ...deps,
      vulnerabilities: {
        ...vulnerabilities,
        advisoriesFor: () => Promise.reject(new Error('store down')),
        severitiesByAlias: () => Promise.reject(new Error('store down')),
        dataVersion: () => vulnerabilities.dataVersion(),
      },
    };
    await expect(checkFleetImage({ runId: RUN, image: IMAGE }, failing)).rejects.toThrow(
      'store down',
    );
    expect(verdicts.recorded).toEqual([]);
  });

  describe('with events on (publishEvents)', () => {
    let events: MemoryEventPublisher;
    const withEvents = (publisher: EventPublisher = events) =>
      checkFleetImage(
        { runId: RUN, startedAt: STARTED, image: IMAGE },
        { ...deps, events: publisher, link: (key) => `s3://artifacts/${key}` },
      );

    beforeEach(async () => {
      events = new MemoryEventPublisher();
      await given([['linux/amd64', AMD64, [['left-pad', '1.0.0']]]]);
    });

    it('publishes one Clearance Scan Verdict for a verdict that changed, valid against its schema', async () => {
      await advisories(critical('GHSA-crit-0001', 'left-pad', '1.0.1'));
      await withEvents();
      expect(events.events).toHaveLength(1);
      const event = events.events[0]!;
      expect(eventSchemaErrors(event)).toEqual([]);
      const scanId = fleetExecutionName(RUN, IMAGE);
      expect(event).toMatchObject({
        id: `${scanId}:verdict-event`,
        detailType: 'Clearance Scan Verdict',
        detail: {
          version: '1',
          verdict: 'fail',
          previousVerdict: 'pass',
          changed: true,
          scanId,
          image: { repository: 'team/web', digest: IMAGE.digest, tag: '1.0', tags: ['1.0'] },
          trigger: { type: 'fleet', id: RUN, actor: 'schedule', time: STARTED },
          newSevereFindings: ['GHSA-crit-0001'],
          counts: { critical: 1, high: 0, medium: 0, low: 0, unknown: 0 },
          maxSeverity: 'critical',
          topFindings: [expect.objectContaining({ id: 'GHSA-crit-0001', severity: 'critical' })],
          summary: 's3://artifacts/scans/s1/summary.json',
          platforms: [
            expect.objectContaining({
              platform: 'linux/amd64',
              decision: 'fail',
              report: `s3://artifacts/${reportKey(AMD64)}`,
            }),
          ],
          versions: expect.objectContaining({ analyzerSet: 'analyzers-1' }),
        },
      });
      expect(event.resources).toContain(`${REGISTRY}/team/web@${IMAGE.digest}`);
    });

    it('publishes it once, however often the item is retried', async () => {
      await advisories(critical('GHSA-crit-0001', 'left-pad', '1.0.1'));
      await withEvents();
      await withEvents();
      expect(events.events).toHaveLength(1);
    });

    it('fails the item when the put fails, recording nothing, so the retry publishes it', async () => {
      await advisories(critical('GHSA-crit-0001', 'left-pad', '1.0.1'));
      const failing: EventPublisher = { publish: () => Promise.reject(new Error('throttled')) };
      await expect(withEvents(failing)).rejects.toThrow('throttled');
      expect(verdicts.recorded).toEqual([]);
      await withEvents();
      expect(events.events).toHaveLength(1);
      expect(verdicts.recorded).toHaveLength(1);
    });

    it('publishes nothing when the verdict did not change', async () => {
      const result = (await withEvents()) as RematchedItem;
      expect(result.changed).toBe(false);
      expect(events.events).toEqual([]);
    });
  });
});

describe('fleetExecutionName', () => {
  it('names the run and the image within the 80 characters Step Functions allows', () => {
    const name = fleetExecutionName('a'.repeat(48), IMAGE);
    expect(name).toMatch(/^fleet-a{48}-[0-9a-f]{16}$/);
    expect(name.length).toBeLessThanOrEqual(80);
  });

  it('tells the same digest in two repositories apart', () => {
    expect(fleetExecutionName(RUN, IMAGE)).not.toBe(
      fleetExecutionName(RUN, { ...IMAGE, repository: 'team/api' }),
    );
  });
});
