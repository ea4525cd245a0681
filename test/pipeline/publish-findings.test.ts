import { DirectoryObjectStore } from '../../shared/objects';
import {
  parseProductArn,
  publishScanFindings,
  PUBLISH_FINDINGS_STEP,
} from '../../shared/pipeline/publish-findings';
import { bindStep } from '../../shared/pipeline/step-binding';
import type { ScanReport } from '../../shared/scan';
import type {
  AsffFinding,
  FindingsHub,
  PublishResult,
  PublishScope,
} from '../../shared/securityhub';
import { evaluatedPlatform, recordedScan, recordInput } from '../support/pipeline-scans';
import { useTempDir } from '../support/temp';
import { scanReport } from '../securityhub/report-fixture';

const PRODUCT = 'arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default';
const NOW = new Date('2026-11-29T10:00:00.000Z');

/** The port, recording what it is given; answers as told. */
class RecordingHub implements FindingsHub {
  readonly published: { findings: readonly AsffFinding[]; scope: PublishScope }[] = [];
  constructor(private readonly answer: (findings: readonly AsffFinding[]) => PublishResult) {}

  publish(findings: readonly AsffFinding[], scope: PublishScope): Promise<PublishResult> {
    this.published.push({ findings, scope });
    return Promise.resolve(this.answer(findings));
  }
}

const allImported = (findings: readonly AsffFinding[]): PublishResult => ({
  imported: findings.length,
  failed: [],
  archived: 1,
  archiveFailed: [],
});

describe('publishScanFindings', () => {
  const dir = useTempDir();
  const amd64 = evaluatedPlatform({ platform: 'linux/amd64' });
  const arm64 = evaluatedPlatform({ platform: 'linux/arm64' });
  const input = recordedScan(recordInput([amd64, arm64]));

  /** Both platforms' final reports in the store, as Evaluate leaves them. */
  async function store(): Promise<DirectoryObjectStore> {
    const objects = new DirectoryObjectStore(dir());
    for (const p of [amd64, arm64]) {
      const report = scanReport();
      const own: ScanReport = {
        ...report,
        image: { ...report.image, platform: p.platform, manifestDigest: p.manifestDigest },
      };
      await objects.put(p.keys.report, Buffer.from(JSON.stringify(own)));
    }
    return objects;
  }

  describe('when both platforms reports are there', () => {
    it('publishes every platform findings under the ECR image, scoped to both manifests', async () => {
      const hub = new RecordingHub(allImported);
      const result = await publishScanFindings(input, {
        objects: await store(),
        hub,
        productArn: PRODUCT,
        clock: () => NOW,
      });
      const [{ findings, scope }] = hub.published as [(typeof hub.published)[number]];
      expect(scope).toEqual({
        productArn: PRODUCT,
        resourceIds: [amd64, arm64].map(
          (p) => `arn:aws:ecr:eu-west-1:123456789012:repository/payments/api/${p.manifestDigest}`,
        ),
      });
      expect(findings.length).toBe(2 * 7);
      expect(findings[0]!.Resources[0]!.Details.AwsEcrContainerImage.ImageTags).toEqual(['1.4.2']);
      expect(findings[0]!.UpdatedAt).toBe(NOW.toISOString());
      expect(result).toEqual({
        status: 'published',
        findings: 14,
        imported: 14,
        archived: 1,
        failed: 0,
        failures: [],
      });
    });
  });

  describe('when Security Hub refuses some findings', () => {
    it('is partial, naming what was refused', async () => {
      const hub = new RecordingHub((findings) => ({
        imported: findings.length - 1,
        failed: [{ id: findings[0]!.Id, code: 'InvalidInput', message: 'too large' }],
        archived: 0,
        archiveFailed: [],
      }));
      const result = await publishScanFindings(input, {
        objects: await store(),
        hub,
        productArn: PRODUCT,
        clock: () => NOW,
      });
      expect(result).toMatchObject({ status: 'partial', imported: 13, failed: 1 });
      expect(result.failures[0]).toMatchObject({ code: 'InvalidInput', message: 'too large' });
    });
  });

  describe('when Security Hub cannot be reached', () => {
    it('does not throw: the scan goes on, the output says why', async () => {
      const hub: FindingsHub = {
        publish: () => Promise.reject(new Error('Security Hub is not enabled in this account')),
      };
      const result = await publishScanFindings(input, {
        objects: await store(),
        hub,
        productArn: PRODUCT,
        clock: () => NOW,
      });
      expect(result).toMatchObject({
        status: 'failed',
        findings: 14,
        imported: 0,
        error: 'Security Hub is not enabled in this account',
      });
    });
  });

  describe('when a report is missing', () => {
    it('fails softly, naming the report', async () => {
      const hub = new RecordingHub(allImported);
      const result = await publishScanFindings(input, {
        objects: new DirectoryObjectStore(dir()),
        hub,
        productArn: PRODUCT,
        clock: () => NOW,
      });
      expect(result.status).toBe('failed');
      expect(result.error).toContain('reading the reports');
      expect(hub.published).toEqual([]);
    });
  });

  describe('as the PublishFindings state', () => {
    it('fails when the input is not a recorded scan, as a malformed input', async () => {
      const handler = bindStep(PUBLISH_FINDINGS_STEP, {
        objects: new DirectoryObjectStore(dir()),
        hub: new RecordingHub(allImported),
        productArn: PRODUCT,
        clock: () => NOW,
      });
      await expect(handler({ scanId: 'x' })).rejects.toMatchObject({ name: 'Clearance.Input' });
    });
  });
});

describe('parseProductArn', () => {
  it('reads the account, region and partition', () => {
    expect(parseProductArn(PRODUCT)).toEqual({
      partition: 'aws',
      region: 'eu-west-1',
      accountId: '123456789012',
    });
  });

  it('fails when it is not the account default product', () => {
    expect(() =>
      parseProductArn('arn:aws:securityhub:eu-west-1::product/aqua/aqua-cloud-native-security'),
    ).toThrow(/expected arn:<partition>:securityhub/);
  });
});
