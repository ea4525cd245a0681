import { join } from 'node:path';
import { checkFleetImage, type ScanItemDeps } from '../../shared/fleet/scan-item';
import type { RematchedItem } from '../../shared/fleet/schemas';
import { LocalFindingsHub } from '../../shared/local/securityhub';
import { DirectoryObjectStore } from '../../shared/objects';
import type { StoredVerdict } from '../../shared/pipeline';
import type { ImageTarget } from '../../shared/pipeline/states';
import { DEFAULT_POLICY, parsePolicy } from '../../shared/policy';
import type { FindingsHub } from '../../shared/securityhub';
import { LocalStore } from '../../shared/vulndb/local-store';
import { FakeVerdictStore } from '../support/fleet-ports';
import { osv } from '../support/osv';
import { useTempDir } from '../support/temp';

const NOW = new Date('2026-01-02T03:04:05Z');
const PRODUCT = 'arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default';
const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const IMAGE: ImageTarget = {
  registry: REGISTRY,
  repository: 'team/web',
  digest: `sha256:${'a'.repeat(64)}`,
  tag: '1.0',
};
const AMD64 = `sha256:${'1'.repeat(64)}`;
const REPORT_KEY = `scans/s1/${'1'.repeat(64)}/report.json`;
const POLICY = parsePolicy(DEFAULT_POLICY, 'default.yaml');

const report = {
  schemaVersion: 1,
  image: {
    reference: `${REGISTRY}/team/web:1.0`,
    digest: IMAGE.digest,
    platform: 'linux/amd64',
    manifestDigest: AMD64,
  },
  os: null,
  packages: [
    {
      name: 'left-pad',
      version: '1.0.0',
      type: 'npm',
      purl: 'pkg:npm/left-pad@1.0.0',
      source: null,
      licenses: [],
      layer: `sha256:${'f'.repeat(64)}`,
      path: 'app/node_modules/left-pad/package.json',
      ownedBy: null,
      dependencies: [],
      supplier: null,
    },
  ],
  problems: [],
  secrets: [],
  sensitiveFiles: [],
  checks: [],
  vulnerabilities: [],
  database: { version: 'sha256:old', updatedAt: null, newestModified: null },
  vulnerabilityProblems: [],
  expiredIgnores: [],
};

const stored: StoredVerdict = {
  digest: IMAGE.digest,
  decision: 'pass',
  scanId: 's1',
  recordedAt: '2025-12-24T00:00:00.000Z',
  severeFindings: [],
  policyDigest: POLICY.digest,
  dataVersion: 'sha256:old',
  analyzerSet: 'analyzers-1',
  platforms: [{ platform: 'linux/amd64', manifestDigest: AMD64, reportKey: REPORT_KEY }],
};

describe('checkFleetImage with Security Hub', () => {
  const dir = useTempDir();
  let vulnerabilities: LocalStore;
  let deps: Omit<ScanItemDeps, 'securityHub'>;

  beforeEach(async () => {
    vulnerabilities = LocalStore.open(join(dir(), 'osv'), { create: true });
    await vulnerabilities.transaction(
      (add) =>
        Promise.resolve(
          add(
            osv({
              id: 'GHSA-crit-0001',
              modified: '2026-01-01T00:00:00Z',
              severity: [
                { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
              ],
              affected: [
                {
                  package: { ecosystem: 'npm', name: 'left-pad' },
                  ranges: [
                    { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0.1' }] },
                  ],
                },
              ],
            }),
          ),
        ),
      NOW,
    );
    const store = new DirectoryObjectStore(join(dir(), 'objects'));
    await store.put(REPORT_KEY, Buffer.from(JSON.stringify(report)));
    const verdicts = new FakeVerdictStore();
    verdicts.byDigest.set(IMAGE.digest, stored);
    deps = { store, vulnerabilities, verdicts, policy: POLICY, clock: () => NOW };
  });

  afterEach(() => vulnerabilities.close());

  const check = (hub: FindingsHub) =>
    checkFleetImage(
      { runId: 'nightly-1', startedAt: '2026-01-02T03:00:00.000Z', image: IMAGE },
      { ...deps, securityHub: { hub, productArn: PRODUCT, clock: () => NOW } },
    ) as Promise<RematchedItem>;

  describe('when a known digest is re-matched', () => {
    it('publishes the re-matched findings, as a scan does, and says so in the item', async () => {
      const hub = new LocalFindingsHub(join(dir(), 'securityhub.json'));
      const item = await check(hub);
      expect(item.decision).toBe('fail');
      expect(item.securityHub).toMatchObject({ status: 'published', findings: 1, imported: 1 });
      const [finding] = Object.values(hub.read());
      expect(finding).toMatchObject({
        GeneratorId: 'clearance/vulnerability/GHSA-crit-0001',
        Severity: { Label: 'CRITICAL' },
        RecordState: 'ACTIVE',
      });
    });
  });

  describe('when Security Hub fails', () => {
    it('still re-checks the image: the failure is in the item, not thrown', async () => {
      const item = await check({ publish: () => Promise.reject(new Error('AccessDenied')) });
      expect(item.decision).toBe('fail');
      expect(item.securityHub).toMatchObject({ status: 'failed', error: 'AccessDenied' });
    });
  });
});
