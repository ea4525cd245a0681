import { join } from 'node:path';
import { CHECK_IMAGE_STEP } from '../../shared/fleet/scan-item';
import { bindStep } from '../../shared/pipeline/step-binding';
import { DirectoryObjectStore } from '../../shared/objects';
import type { StoredVerdict } from '../../shared/pipeline';
import { DEFAULT_POLICY, parsePolicy } from '../../shared/policy';
import { LocalStore } from '../../shared/vulndb/local-store';
import { FakeVerdictStore } from '../support/fleet-ports';
import { useTempDir } from '../support/temp';

const NOW = new Date('2026-01-02T03:04:05Z');
const IMAGE = {
  registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
  repository: 'team/web',
  digest: `sha256:${'a'.repeat(64)}`,
  tag: '1.0',
};

describe('CHECK_IMAGE_STEP', () => {
  const dir = useTempDir();
  let vulnerabilities: LocalStore;
  let verdicts: FakeVerdictStore;

  beforeEach(() => {
    vulnerabilities = LocalStore.open(join(dir(), 'osv'), { create: true });
    verdicts = new FakeVerdictStore();
  });

  afterEach(() => vulnerabilities.close());

  const handler = () =>
    bindStep(CHECK_IMAGE_STEP, {
      store: new DirectoryObjectStore(join(dir(), 'objects')),
      verdicts,
      vulnerabilities,
      policy: parsePolicy(DEFAULT_POLICY, 'default'),
      clock: () => NOW,
    });

  it('answers needsScan for a digest never scanned, ignoring what else the item carries', async () => {
    expect(await handler()({ runId: 'exec-1', image: IMAGE, extra: 1 })).toMatchObject({
      image: IMAGE,
      needsScan: true,
      scanInput: { image: IMAGE, trigger: { type: 'fleet', id: 'exec-1' } },
    });
  });

  it('fails as Clearance.Input when the item is not an image', async () => {
    await expect(handler()({ runId: 'exec-1', image: { repository: 'x' } })).rejects.toMatchObject({
      name: 'Clearance.Input',
      message: expect.stringContaining('image.digest') as unknown,
    });
  });

  it('fails as Clearance.Bug when the stored report is not a report', async () => {
    const reportKey = 'scans/s1/abc/report.json';
    const stored: StoredVerdict = {
      digest: IMAGE.digest,
      decision: 'pass',
      scanId: 's1',
      recordedAt: NOW.toISOString(),
      severeFindings: [],
      policyDigest: 'p',
      dataVersion: 'd',
      analyzerSet: 'a',
      platforms: [{ platform: 'linux/amd64', manifestDigest: IMAGE.digest, reportKey }],
    };
    verdicts.byDigest.set(IMAGE.digest, stored);
    const handle = handler();
    await new DirectoryObjectStore(join(dir(), 'objects')).put(reportKey, Buffer.from('not json'));
    await expect(handle({ runId: 'exec-1', image: IMAGE })).rejects.toMatchObject({
      name: 'Clearance.Bug',
    });
  });
});
