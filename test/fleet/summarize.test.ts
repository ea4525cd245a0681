import { notificationSchemaErrors } from '../support/schemas';
import { join } from 'node:path';
import { DirectoryObjectStore } from '../../shared/objects';
import { fleetExecutionName } from '../../shared/fleet/scan-item';
import type { NeedsScanItem, RematchedItem } from '../../shared/fleet/schemas';
import { summarizeFleet, type FleetSummary } from '../../shared/fleet/summarize';
import type { ImageTarget, SeverityCounts } from '../../shared/pipeline/states';
import { FakeNotifier } from '../support/fleet-ports';
import { golden } from '../support/golden';
import { writeMapRun, type WrittenExecution } from '../support/map-run';
import { useTempDir } from '../support/temp';

const RUN = 'nightly-1';
const NOW = new Date('2026-01-02T04:00:00Z');
const GOLDEN = join(__dirname, '..', 'fixtures', 'golden', 'fleet');
const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const image = (repository: string, c: string, tag?: string): ImageTarget => ({
  registry: REGISTRY,
  repository,
  digest: `sha256:${c.repeat(64)}`,
  ...(tag !== undefined && { tag }),
});
const counts = (critical = 0, high = 0, medium = 0): SeverityCounts => ({
  critical,
  high,
  medium,
  low: 0,
  unknown: 0,
});

function rematched(
  target: ImageTarget,
  decision: RematchedItem['decision'],
  previousDecision: RematchedItem['decision'],
  severity: SeverityCounts,
  newSevereFindings: string[] = [],
): WrittenExecution {
  const output: RematchedItem = {
    image: target,
    rematched: true,
    decision,
    previousDecision,
    newSevereFindings,
    counts: severity,
    changed: decision !== previousDecision || newSevereFindings.length > 0,
    dataVersion: 'sha256:data',
  };
  return { status: 'SUCCEEDED', input: { runId: RUN, image: target }, output };
}

function needsScan(target: ImageTarget): NeedsScanItem {
  return {
    image: target,
    needsScan: true,
    reason: 'never scanned',
    executionName: fleetExecutionName(RUN, target),
    scanInput: {
      image: target,
      trigger: { type: 'fleet', id: RUN, actor: 'schedule', time: NOW.toISOString() },
    },
  };
}

/** An item that needed a scan, with what ScanNewImage's ResultSelector picked of ScanImage's end. */
function scanned(target: ImageTarget, decision: string, severe: string[], c: SeverityCounts) {
  const scan = {
    status: 'SUCCEEDED',
    executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:ScanImage:x',
    record: { decision, newSevereFindings: severe, changed: true },
    counts: [c, counts(0, 1)],
  };
  return {
    status: 'SUCCEEDED' as const,
    input: { runId: RUN, image: target },
    output: { ...needsScan(target), scan },
  };
}

/** A night of a small fleet: every kind of outcome once or twice. */
const NIGHT: WrittenExecution[] = [
  rematched(image('team/web', 'a', '1.0'), 'pass', 'pass', counts(0, 0, 2)),
  rematched(image('team/api', 'b', '2.0'), 'fail', 'pass', counts(2, 1), [
    'CVE-2025-0001',
    'CVE-2025-0002',
  ]),
  rematched(image('team/worker', 'c', '3.1'), 'fail', 'fail', counts(1, 4), ['CVE-2025-0001']),
  rematched(image('base/debian', 'd', '12'), 'warn', 'warn', counts(0, 2)),
  rematched(image('team/old', 'e'), 'warn', 'fail', counts(0, 0, 1)),
  {
    status: 'SUCCEEDED',
    input: { runId: RUN, image: image('team/new', 'f') },
    output: needsScan(image('team/new', 'f')),
  },
  scanned(image('team/newer', '1', '0.1'), 'fail', ['CVE-2025-0003'], counts(1, 3)),
  {
    status: 'FAILED',
    input: { runId: RUN, image: image('team/broken', '2', 'x') },
    error: 'Clearance.Bug',
    cause: 'MISSING_OBJECT: expected a scan report at scans/s/report.json, got no JSON\nmore lines',
  },
];

describe('summarizeFleet', () => {
  const dir = useTempDir();

  async function summarize(
    executions: WrittenExecution[],
    notifier = new FakeNotifier(),
    skipped?: unknown,
  ) {
    const store = new DirectoryObjectStore(dir());
    const manifestKey = await writeMapRun(store, `fleet/${RUN}/results`, executions);
    if (skipped !== undefined)
      await store.put(`fleet/${RUN}/skipped.json`, Buffer.from(JSON.stringify(skipped)));
    const output = await summarizeFleet(
      { runId: RUN, manifestKey },
      { store, notifier, clock: () => NOW, link: (key) => `s3://artifacts/${key}` },
    );
    const summary = JSON.parse(
      (await store.get(`fleet/${RUN}/summary.json`))!.toString(),
    ) as FleetSummary;
    return { output, summary, notifier, store, manifestKey };
  }

  describe('when the map checked a fleet', () => {
    it('counts the fleet posture', async () => {
      const { output, summary } = await summarize(NIGHT);
      expect(summary.posture).toEqual({
        images: 8,
        pass: 1,
        warn: 2,
        fail: 3,
        needsScan: 1,
        scannedWithoutVerdict: 0,
        failed: 1,
        pending: 0,
      });
      expect(summary).toMatchObject({ rematched: 5, scanned: 1, maxSeverity: 'critical' });
      expect(output).toEqual({
        runId: RUN,
        summaryKey: `fleet/${RUN}/summary.json`,
        notified: true,
        images: 8,
        pass: 1,
        warn: 2,
        fail: 3,
        needsScan: 1,
        scannedWithoutVerdict: 0,
        failed: 1,
        pending: 0,
        newSevereFindings: 3,
      });
    });

    it('lists the new findings, most widespread first, with their images', async () => {
      const { summary } = await summarize(NIGHT);
      expect(summary.newFindings.map((f) => [f.id, f.images.map((i) => i.repository)])).toEqual([
        ['CVE-2025-0001', ['team/api', 'team/worker']],
        ['CVE-2025-0002', ['team/api']],
        ['CVE-2025-0003', ['team/newer']],
      ]);
    });

    it('lists the worst images by critical then high, leaving out clean passing ones', async () => {
      const { summary } = await summarize(NIGHT);
      expect(
        summary.worst.map((o) => [o.image.repository, o.counts.critical, o.counts.high]),
      ).toEqual([
        ['team/api', 2, 1],
        ['team/worker', 1, 4],
        ['team/newer', 1, 3],
        ['base/debian', 0, 2],
      ]);
    });

    it('lists the verdicts that changed and the failures with their cause', async () => {
      const { summary } = await summarize(NIGHT);
      expect(summary.verdictChanges.map((c) => [c.image.repository, c.from, c.to])).toEqual([
        ['team/api', 'pass', 'fail'],
        ['team/old', 'fail', 'warn'],
      ]);
      expect(summary.failures).toEqual([
        { image: image('team/broken', '2', 'x'), error: 'Clearance.Bug', cause: NIGHT[7]!.cause },
      ]);
    });

    it('publishes one digest to the alerts topic, as in the golden file', async () => {
      const { notifier } = await summarize(NIGHT);
      expect(notifier.published).toHaveLength(1);
      const [actual] = notifier.published;
      expect(actual).toEqual(golden(join(GOLDEN, 'digest.json'), actual));
      expect(actual!.subject.length).toBeLessThanOrEqual(99);
    });
  });

  describe('when new findings are in CISA’s KEV catalog', () => {
    it('lists them first and marks them, however few images have them', async () => {
      const exploited = rematched(image('team/api', 'b', '2.0'), 'fail', 'pass', counts(0, 1), [
        'CVE-2024-0002',
      ]);
      const { summary, notifier } = await summarize([
        rematched(image('team/web', 'a', '1.0'), 'fail', 'pass', counts(0, 1), ['CVE-2024-0001']),
        rematched(image('team/worker', 'c', '1.0'), 'fail', 'pass', counts(0, 1), [
          'CVE-2024-0001',
        ]),
        {
          ...exploited,
          output: { ...(exploited.output as RematchedItem), kevFindings: ['CVE-2024-0002'] },
        },
      ]);
      expect(summary.newFindings.map((f) => [f.id, f.images.length, f.kev])).toEqual([
        ['CVE-2024-0002', 1, true],
        ['CVE-2024-0001', 2, undefined],
      ]);
      const [message] = notifier.published;
      expect(JSON.stringify(message)).toContain('CVE-2024-0002  (in CISA KEV)  1 image');
    });
  });

  describe('when the fleet is clean', () => {
    it('says so in a short digest', async () => {
      const { notifier, summary } = await summarize([
        rematched(image('team/web', 'a', '1.0'), 'pass', 'pass', counts()),
      ]);
      expect(summary).toMatchObject({
        worst: [],
        newFindings: [],
        verdictChanges: [],
        failures: [],
        maxSeverity: 'none',
      });
      const [actual] = notifier.published;
      expect(actual).toEqual(golden(join(GOLDEN, 'digest-clean.json'), actual));
    });
  });

  describe('when Enumerate left out artifacts and promotion copies', () => {
    const skipped = {
      artifacts: { 'cosign-signature': 12, 'clearance-verdict': 40, 'helm-chart': 3 },
      promotionCopies: 5,
    };

    it('counts them apart from the images, in the summary and the digest', async () => {
      const { notifier, summary } = await summarize(
        [rematched(image('team/web', 'a', '1.0'), 'pass', 'pass', counts())],
        new FakeNotifier(),
        skipped,
      );
      expect(summary.skipped).toEqual(skipped);
      expect(summary.posture.images).toBe(1);
      const [digest] = notifier.published;
      expect(digest!.body).toContain(
        '  not images, not re-checked: 40 clearance-verdict, 12 cosign-signature, 3 helm-chart\n  5 promotion copies, checked under the repository they were pushed to',
      );
      expect(digest!.document).toMatchObject({ skipped });
      expect(notificationSchemaErrors(digest!.document)).toEqual([]);
    });

    it('fails when the count is not one Enumerate writes', async () => {
      await expect(summarize([], new FakeNotifier(), { artifacts: 'many' })).rejects.toMatchObject({
        code: 'FLEET_ITEMS_MALFORMED',
      });
    });
  });

  describe('when Summarize is retried', () => {
    it('publishes the digest once and writes the same summary', async () => {
      const notifier = new FakeNotifier();
      const first = await summarize(NIGHT, notifier);
      const again = await summarizeFleet(
        { runId: RUN, manifestKey: first.manifestKey },
        { store: first.store, notifier, clock: () => NOW },
      );
      expect(again.notified).toBe(false);
      expect(notifier.published).toHaveLength(1);
    });
  });

  describe('when a run id is long', () => {
    it('keeps the subject within the limit SNS sets', async () => {
      const store = new DirectoryObjectStore(dir());
      const runId = 'r'.repeat(48);
      const manifestKey = await writeMapRun(store, `fleet/${runId}/results`, NIGHT);
      const notifier = new FakeNotifier();
      await summarizeFleet({ runId, manifestKey }, { store, notifier, clock: () => NOW });
      expect(notifier.published[0]!.subject).toBe(
        `[FLEET] ${runId} - 3 fail, 2 warn, 3 new critical/high`,
      );
      expect(notifier.published[0]!.subject.length).toBeLessThanOrEqual(99);
    });
  });

  describe('when ScanNewImage left its whole result', () => {
    it("reads the verdict from ScanImage's final state, as JSON or as its text", async () => {
      const target = image('team/newer', '1', '0.1');
      const state = {
        image: target,
        record: { decision: 'warn', newSevereFindings: ['CVE-2025-0009'] },
        platforms: [{ counts: counts(0, 1) }],
      };
      const { summary } = await summarize(
        [state, JSON.stringify(state)].map((Output) => ({
          status: 'SUCCEEDED' as const,
          input: { runId: RUN, image: target },
          output: { ...needsScan(target), scan: { Status: 'SUCCEEDED', Output } },
        })),
      );
      expect(summary.posture).toMatchObject({ images: 2, warn: 2 });
      expect(summary.newFindings).toEqual([{ id: 'CVE-2025-0009', images: [target, target] }]);
    });
  });

  describe('when ScanNewImage left no verdict', () => {
    it('counts the image as scanned without a verdict, neither passed nor failed', async () => {
      const target = image('team/newer', '1', '0.1');
      const { summary } = await summarize([
        {
          status: 'SUCCEEDED',
          input: { runId: RUN, image: target },
          output: { ...needsScan(target), scan: { status: 'SUCCEEDED', executionArn: 'arn' } },
        },
      ]);
      expect(summary.posture).toMatchObject({
        images: 1,
        pass: 0,
        needsScan: 0,
        scannedWithoutVerdict: 1,
      });
      expect(summary.scanned).toBe(1);
    });
  });

  describe('when ScanNewImage found its execution already run (a re-driven item)', () => {
    it('counts the image as scanned without a verdict, not as failed', async () => {
      const target = image('team/newer', '1', '0.1');
      const scan = {
        status: 'ALREADY_SCANNED',
        error: {
          Error: 'StepFunctions.ExecutionAlreadyExistsException',
          Cause: "Execution Already Exists: 'arn:aws:states:eu-west-1:123456789012:execution:x'",
        },
      };
      const { summary } = await summarize([
        {
          status: 'SUCCEEDED',
          input: { runId: RUN, image: target },
          output: { ...needsScan(target), scan },
        },
      ]);
      expect(summary.posture).toMatchObject({ images: 1, scannedWithoutVerdict: 1, failed: 0 });
      expect(summary.failures).toEqual([]);
    });
  });

  describe('when an item succeeded with an output of another shape', () => {
    it('counts it as failed rather than guessing', async () => {
      const { summary } = await summarize([
        {
          status: 'SUCCEEDED',
          input: { runId: RUN, image: image('team/x', '3') },
          output: { hello: 1 },
        },
      ]);
      expect(summary.posture).toMatchObject({ images: 1, failed: 1 });
      expect(summary.failures[0]).toMatchObject({
        image: image('team/x', '3'),
        error: 'Clearance.Bug',
      });
    });
  });

  it('fails when the manifest is missing, publishing nothing', async () => {
    const notifier = new FakeNotifier();
    await expect(
      summarizeFleet(
        { runId: RUN, manifestKey: 'fleet/x/results/none/manifest.json' },
        { store: new DirectoryObjectStore(dir()), notifier, clock: () => NOW },
      ),
    ).rejects.toMatchObject({ code: 'FLEET_RESULTS_MALFORMED' });
    expect(notifier.published).toEqual([]);
  });
});
