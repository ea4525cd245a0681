import { NotifyInput, notify } from '../../shared/notify/notify';
import { failureOf } from '../../shared/pipeline/record-failure';
import { MemoryNotifier } from '../support/pipeline-ports';
import {
  failingPlatform,
  failureInput,
  recordInput,
  recordedScan,
} from '../support/pipeline-scans';
import { notificationSchemaErrors } from '../support/schemas';

describe('notify', () => {
  describe('when told of a verdict', () => {
    it('publishes it to the alerts topic', async () => {
      const notifier = new MemoryNotifier();
      const scan = recordedScan(recordInput([failingPlatform()]));
      const result = await notify({ kind: 'verdict', scan }, { notifier });
      expect(result).toEqual({ id: 'scan-1:verdict', topic: 'alerts', sent: true });
      expect(notifier.sent).toEqual([
        expect.objectContaining({
          topic: 'alerts',
          attributes: expect.objectContaining({ verdict: 'fail' }),
        }),
      ]);
    });

    it('publishes the text for people and the JSON document for machines', async () => {
      const notifier = new MemoryNotifier();
      const scan = recordedScan(recordInput([failingPlatform()]), { previousDecision: 'pass' });
      await notify({ kind: 'verdict', scan }, { notifier, link: (key) => `s3://artifacts/${key}` });
      const [sent] = notifier.sent;
      expect(sent!.body).toMatch(/^FAIL: payments\/api:1\.4\.2\n/);
      expect(sent!.document).toMatchObject({
        eventType: 'verdict.changed',
        verdict: 'fail',
        previousVerdict: 'pass',
        summary: 's3://artifacts/scans/scan-1/summary.json',
      });
      expect(notificationSchemaErrors(sent!.document)).toEqual([]);
    });

    it('links the reports as the deployment says', async () => {
      const notifier = new MemoryNotifier();
      const scan = recordedScan(recordInput());
      await notify({ kind: 'verdict', scan }, { notifier, link: (key) => `s3://artifacts/${key}` });
      expect(notifier.sent[0]!.body).toContain('Summary: s3://artifacts/scans/scan-1/summary.json');
    });

    it('sends it once when retried', async () => {
      const notifier = new MemoryNotifier();
      const scan = recordedScan(recordInput());
      await notify({ kind: 'verdict', scan }, { notifier });
      const again = await notify({ kind: 'verdict', scan }, { notifier });
      expect(again.sent).toBe(false);
      expect(notifier.sent).toHaveLength(1);
    });
  });

  describe('when told of a failure', () => {
    it('publishes it to the operations topic', async () => {
      const notifier = new MemoryNotifier();
      const result = await notify(
        { kind: 'failure', failure: failureOf(failureInput()) },
        { notifier },
      );
      expect(result).toEqual({ id: 'scan-1:failure', topic: 'operations', sent: true });
      expect(notificationSchemaErrors(notifier.sent[0]!.document)).toEqual([]);
    });
  });
});

describe('NotifyInput', () => {
  it('reads the whole ScanImage state, with what Promote did', () => {
    const scan = {
      ...recordedScan(recordInput()),
      promotion: { promoted: true, repository: 'release/api', tag: '1.4.2' },
      error: undefined,
    };
    const parsed = NotifyInput.parse({ kind: 'verdict', scan });
    expect(parsed.kind === 'verdict' && parsed.scan.promotion).toEqual(scan.promotion);
  });

  it('fails when the kind is neither verdict nor failure', () => {
    expect(NotifyInput.safeParse({ kind: 'digest' }).success).toBe(false);
  });
});
